package org.phocap.locality;

public record LocalityImportResult(int created, int updated) {}

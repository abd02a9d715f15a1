package org.phocap.locality;

/** A place in the administrative tree as the API shows it. */
public record LocalityDto(String code, String name, int level, String parentCode, int childCount) {}

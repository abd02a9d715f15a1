package org.phocap.roster;

/** Why a row was not imported; field is the English column name. */
public record Rejection(int line, String field, String message, String raw) {}

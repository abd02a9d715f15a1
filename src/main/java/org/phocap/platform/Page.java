package org.phocap.platform;

import java.util.List;

/** One page of a list: items plus what a client needs to fetch the next. */
public record Page<T>(List<T> items, int page, int size, long total) {}

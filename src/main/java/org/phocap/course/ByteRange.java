package org.phocap.course;

import java.util.Optional;

/**
 * One byte range of a Range header (RFC 9110): "bytes=0-99", "bytes=100-", "bytes=-500". Anything
 * else, including several ranges, is ignored and the whole body is served, as the RFC allows.
 */
record ByteRange(long start, long end) {

    long length() {
        return end - start + 1;
    }

    /** Thrown for a well-formed range that lies wholly past the end: the answer is 416. */
    static final class Unsatisfiable extends RuntimeException {
        Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    static Optional<ByteRange> parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String spec = header.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        try {
            String first = spec.substring(0, dash).strip();
            String last = spec.substring(dash + 1).strip();
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0) {
                    throw new Unsatisfiable();
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            if (last.isEmpty() || Long.parseLong(last) >= start) {
                if (start >= size) {
                    throw new Unsatisfiable();
                }
                return Optional.of(new ByteRange(start, end));
            }
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

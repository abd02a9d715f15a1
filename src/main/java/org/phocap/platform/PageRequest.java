package org.phocap.platform;

/** Checks page parameters against the documented limit (phocap.page.max-size). */
public final class PageRequest {
    private PageRequest() {}

    public static void check(int page, int size, int maxSize) {
        if (page < 0) {
            throw ProblemException.invalid("page", "page must be 0 or more");
        }
        if (size < 1 || size > maxSize) {
            throw ProblemException.invalid("size", "size must be between 1 and " + maxSize);
        }
    }
}

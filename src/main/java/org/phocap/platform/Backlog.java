package org.phocap.platform;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded backlog of slow work (running plus waiting): a caller takes a place or, when all are
 * taken, is refused at once (and answers 503 with Retry-After), and gives the place back when its
 * work ends. One per queue that must not grow without end (certificate renders, password hashes).
 */
public final class Backlog {
    private final AtomicInteger size = new AtomicInteger();
    private final int limit;

    public Backlog(int limit) {
        this.limit = Math.max(1, limit);
    }

    /** Takes a place; false when the backlog is full (nothing taken). */
    public boolean enter() {
        if (size.incrementAndGet() > limit) {
            size.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back a place taken by {@link #enter}. */
    public void leave() {
        size.decrementAndGet();
    }

    public int size() {
        return size.get();
    }

    public int limit() {
        return limit;
    }
}

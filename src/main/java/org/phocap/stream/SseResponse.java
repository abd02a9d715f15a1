package org.phocap.stream;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import org.jboss.logging.Logger;
import org.phocap.platform.ClientGone;
import org.phocap.platform.ProblemException;
import org.phocap.platform.ThrottledLog;

/**
 * Writes a lesson stream's events to its HTTP response as event-stream frames ({@link SseFrames}).
 * Frames that arrive together (the opening's snapshot, a burst of live events) leave in one write
 * on the connection's event loop. The status line goes out as the stream opens, before its
 * opening events: a replay with nothing missed must open at once too (an EventSource fires
 * {@code open} on it, and proxies wait for it), not at the first keep-alive.
 *
 * <p>Back-pressure: at most {@link #WINDOW} events are asked for ahead of what was written, and no
 * more while the connection's write queue is full; the hub keeps what a slow client has not taken
 * in the stream's bounded backlog and cuts the stream past it (the connection is then closed, so
 * a stalled phone holds no buffers).
 */
public final class SseResponse implements Flow.Subscriber<StreamEvent> {
    private static final Logger LOG = Logger.getLogger(SseResponse.class);
    static final int WINDOW = 64;
    private static final String EVENT_STREAM = "text/event-stream";

    private final HttpServerResponse response;
    private final Context loop;
    private final StreamHub hub;

    // Handed over from whichever thread emits (a delivery task, the keep-alive job) to the loop.
    private final List<byte[]> queued = new ArrayList<>();
    private boolean scheduled;
    private boolean completed;
    private Throwable failure;

    // The loop's own.
    private Flow.Subscription subscription;
    private int owed;
    private boolean done;

    /** @param loop the connection's context: every write happens there */
    public SseResponse(HttpServerResponse response, Context loop, StreamHub hub) {
        this.response = response;
        this.loop = loop;
        this.hub = hub;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (response.closed()) {
            // The client left while the checks ran (a turn at the opening gate can take seconds):
            // no close handler would ever fire, so the stream gives up its place in the hub now.
            stop();
            return;
        }
        // The client left: the stream ends here, its place in the hub is given up.
        response.closeHandler(ignored -> loop.runOnContext(v -> stop()));
        response.exceptionHandler(ignored -> loop.runOnContext(v -> stop()));
        response.setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
                .setChunked(true);
        // The status line alone (an empty chunk is not written): flushed at once, or with the
        // request's read when the checks before it answered from memory.
        response.write(Buffer.buffer());
        subscription.request(WINDOW);
    }

    @Override
    public void onNext(StreamEvent event) {
        byte[] frame = SseFrames.of(event, event == StreamHub.RECONNECT ? hub.reconnectDelayMs() : 0);
        synchronized (this) {
            queued.add(frame);
            schedule();
        }
    }

    @Override
    public synchronized void onError(Throwable failure) {
        this.failure = failure;
        schedule();
    }

    @Override
    public synchronized void onComplete() {
        completed = true;
        schedule();
    }

    /** One flush per burst: events emitted in the same task (the snapshot) are written together after it. */
    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            loop.runOnContext(ignored -> flush());
        }
    }

    private void flush() {
        List<byte[]> frames;
        boolean complete;
        Throwable failed;
        synchronized (this) {
            scheduled = false;
            frames = queued.isEmpty() ? List.of() : new ArrayList<>(queued);
            queued.clear();
            complete = completed;
            failed = failure;
        }
        if (done) {
            return;
        }
        if (failed != null) {
            fail(failed);
            return;
        }
        if (response.closed()) {
            stop();
            return;
        }
        if (!frames.isEmpty()) {
            response.write(join(frames));
            owed += frames.size();
        }
        if (complete) {
            done = true;
            response.end();
            return;
        }
        askForMore();
    }

    private void askForMore() {
        if (owed == 0 || done) {
            return;
        }
        if (response.writeQueueFull()) {
            response.drainHandler(ignored -> askForMore());
            return;
        }
        int n = owed;
        owed = 0;
        subscription.request(n);
    }

    private static Buffer join(List<byte[]> frames) {
        if (frames.size() == 1) {
            return Buffer.buffer(frames.get(0));
        }
        int size = 0;
        for (byte[] frame : frames) {
            size += frame.length;
        }
        Buffer out = Buffer.buffer(size);
        for (byte[] frame : frames) {
            out.appendBytes(frame);
        }
        return out;
    }

    /**
     * The status line is out: the connection is closed (a stream cut for a slow client holds no
     * buffers; an EventSource reconnects and replays).
     */
    private void fail(Throwable failed) {
        done = true;
        if (!(failed instanceof ClientGone) && !(failed instanceof ProblemException)) {
            ThrottledLog.warn(LOG, "A lesson stream failed after it opened; its connection was closed: " + failed);
        }
        response.reset();
    }

    private void stop() {
        if (!done) {
            done = true;
            subscription.cancel();
        }
    }
}

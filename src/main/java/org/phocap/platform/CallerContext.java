package org.phocap.platform;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * The Vert.x context a caller started on, to continue there: work that waited on someone else's
 * (a cache load another request started, a turn another stream freed) would otherwise go on on
 * that other request's thread and context. Runs at once when already there, or when the caller had
 * no context (a worker or test thread).
 */
public final class CallerContext implements Executor {
    private final Context context;

    private CallerContext(Context context) {
        this.context = context;
    }

    /** The context of the current thread's caller, or none. */
    public static CallerContext capture() {
        return new CallerContext(Vertx.currentContext());
    }

    @Override
    public void execute(Runnable task) {
        if (context == null || Vertx.currentContext() == context) {
            task.run();
        } else {
            context.runOnContext(ignored -> task.run());
        }
    }
}

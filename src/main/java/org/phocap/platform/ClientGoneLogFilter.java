package org.phocap.platform;

import io.quarkus.logging.LoggingFilter;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logging.Logger;

/**
 * RESTEasy Reactive logs an ERROR ("Exception in SSE server handling, impossible to send it to
 * client") whenever a stream's write fails after its head was sent, then resets the connection. A
 * client that closed its stream (a phone going to sleep, a tab closed, the end of a wave) makes the
 * next write fail that way, as does a stream the hub cuts because its client stopped reading: at
 * the end of a wave that was hundreds of ERRORs hiding the real ones (each followed by Netty's WARN
 * that the reset found the connection closed already). This filter lets those two causes through at
 * DEBUG only (under this class's category) and every other record as it was, including any other
 * failure of a stream. Configured on the console and file handlers
 * ({@code quarkus.log.*.filter=client-gone}).
 */
@LoggingFilter(name = "client-gone")
public final class ClientGoneLogFilter implements Filter {
    static final String SSE_HANDLER = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";
    /** Netty's WARN when that reset closes a connection whose write already failed: the same event, again. */
    static final String NETTY_CONTEXT = "io.netty.channel.AbstractChannelHandlerContext";

    private static final Logger LOG = Logger.getLogger(ClientGoneLogFilter.class);

    @Override
    public boolean isLoggable(LogRecord record) {
        boolean gone = SSE_HANDLER.equals(record.getLoggerName())
                ? clientGone(record.getThrown())
                : NETTY_CONTEXT.equals(record.getLoggerName()) && closedAlready(record);
        if (!gone) {
            return true;
        }
        LOG.debugf("A stream's client went away: %s %s", record.getMessage(), record.getThrown());
        return false;
    }

    /** Netty's "failed already" about a write whose promise failed because the channel was closed. */
    static boolean closedAlready(LogRecord record) {
        String text = record.getMessage() + " " + java.util.Arrays.toString(record.getParameters());
        return text.startsWith("Failed to mark a promise as failure") && text.contains("ClosedChannelException");
    }

    /** Whether the failure (or one of its causes) says the client went away, and nothing else. */
    static boolean clientGone(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClientGone || t instanceof ClosedChannelException) {
                return true;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            boolean io = t instanceof IOException
                    || t.getClass().getName().startsWith("io.netty.channel.")
                    || t.getClass().getName().equals("io.vertx.core.VertxException");
            if (io
                    && (message.contains("broken pipe")
                            || message.contains("connection reset")
                            || message.contains("connection was closed")
                            || message.contains("closed channel"))) {
                return true;
            }
        }
        return false;
    }
}

package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which stream failures are a client gone (DEBUG) and which stay errors. */
class ClientGoneLogFilterTest {
    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(ClientGoneLogFilter.SSE_HANDLER, new IOException("Broken pipe"), false),
                Arguments.of(ClientGoneLogFilter.SSE_HANDLER, new IOException("Connection reset by peer"), false),
                Arguments.of(ClientGoneLogFilter.SSE_HANDLER, new ClosedChannelException(), false),
                Arguments.of(ClientGoneLogFilter.SSE_HANDLER, new ClientGone("the client stopped reading"), false),
                Arguments.of(
                        ClientGoneLogFilter.SSE_HANDLER,
                        new RuntimeException("write failed", new IOException("Broken pipe")),
                        false),
                // Anything else a stream meets is still an error, whoever logs it.
                Arguments.of(ClientGoneLogFilter.SSE_HANDLER, new IllegalStateException("Broken pipe"), true),
                Arguments.of(ClientGoneLogFilter.SSE_HANDLER, new IOException("No space left on device"), true),
                Arguments.of(ClientGoneLogFilter.SSE_HANDLER, null, true),
                Arguments.of("org.phocap.progress.HeartbeatCommitter", new IOException("Broken pipe"), true));
    }

    @ParameterizedTest(name = "Netty: {0} with {1} → logged {2}")
    @MethodSource("nettyWarnings")
    void nettysEchoOfTheResetIsKeptOutTooAndNothingElseOfIt(String message, Object promise, boolean logged) {
        LogRecord record = new LogRecord(Level.WARNING, message);
        record.setParameters(new Object[] {promise});
        record.setLoggerName(ClientGoneLogFilter.NETTY_CONTEXT);
        record.setThrown(new IllegalStateException("refCnt: 0, decrement: 1"));
        assertEquals(logged, new ClientGoneLogFilter().isLoggable(record));
    }

    static Stream<Arguments> nettyWarnings() {
        return Stream.of(
                Arguments.of(
                        "Failed to mark a promise as failure because it has failed already: {}",
                        new ClosedChannelException(),
                        false),
                Arguments.of(
                        "Failed to mark a promise as failure because it has failed already: {}",
                        new IllegalStateException("x"),
                        true),
                Arguments.of("An exception was thrown by a user handler", new ClosedChannelException(), true));
    }

    @ParameterizedTest(name = "{0}: {1} → logged {2}")
    @MethodSource("failures")
    void onlyAClientGoneIsKeptOutOfTheErrorLog(String logger, Throwable thrown, boolean logged) {
        LogRecord record =
                new LogRecord(Level.SEVERE, "Exception in SSE server handling, impossible to send it to client");
        record.setLoggerName(logger);
        record.setThrown(thrown);
        assertEquals(logged, new ClientGoneLogFilter().isLoggable(record));
    }
}

package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A database that restarts or is out of reach is a 503 with Retry-After, not a 500: found by
 * restarting PostgreSQL under heartbeat load (331 answers were 500 while it came back).
 */
class DatabaseUnavailableTest {
    @ParameterizedTest(name = "SQL state {0} → {1}")
    @CsvSource({"57P01, 503", "57P03, 503", "08006, 503", "53300, 503", "22021, 400", "23505, 409", "42601, 500"})
    void sqlStatesMapToTheirAnswer(String state, int status) {
        assertEquals(
                status,
                ProblemMapper.toProblem(new PgException("x", "FATAL", state, null))
                        .status());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"refused", "reset", "closed", "inactive", "stopping", "wrapped"})
    void anUnreachableDatabaseIs503(String kind) {
        Throwable failure = switch (kind) {
            case "refused" -> new ConnectException("Connection refused");
            case "reset" -> new java.net.SocketException("Connection reset");
            case "closed" -> ClosedConnectionException.INSTANCE;
            case "inactive" ->
                new io.vertx.core.impl.NoStackTraceThrowable("Connection is not active now, current status: CLOSED");
            // The instance is stopping: a scheduled job fired after its pool closed (CI saw it as an
            // ERROR with a stack trace at the embedded database's ordered stop).
            case "stopping" -> new io.vertx.core.impl.NoStackTraceThrowable("Pool closed");
            default -> new RuntimeException(new ConnectException("Connection refused"));
        };
        assertEquals(503, ProblemMapper.toProblem(failure).status());
        assertEquals(
                500,
                ProblemMapper.toProblem(new io.vertx.core.impl.NoStackTraceThrowable("something else"))
                        .status());
    }
}

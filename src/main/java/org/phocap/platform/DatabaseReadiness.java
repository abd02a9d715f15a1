package org.phocap.platform;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while PostgreSQL answers. Replaces Quarkus' own pool check (turned off in
 * application.properties) for one reason: under overload that check waits for a connection like
 * any request, fails at the pool's bound, and so takes every pod out of the Service at the same
 * moment — turning a busy minute into an outage. Here a refusal at the pool's bound means the
 * database is reachable and busy: still ready (with {@code busy: true}); anything else is DOWN.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {
    static final String NAME = "PostgreSQL database";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Pool pool;

    public DatabaseReadiness(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("SELECT 1")
                .execute()
                .ifNoItem()
                .after(TIMEOUT)
                .fail()
                .map(rows -> HealthCheckResponse.named(NAME).up().build())
                .onFailure()
                .recoverWithItem(failure -> Overload.cause(failure) != null
                        ? HealthCheckResponse.named(NAME)
                                .up()
                                .withData("busy", true)
                                .build()
                        : HealthCheckResponse.named(NAME)
                                .down()
                                .withData("error", failure.getClass().getSimpleName())
                                .build());
    }
}

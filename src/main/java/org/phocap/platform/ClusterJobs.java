package org.phocap.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs a scheduled job that works on shared tables once per period across every instance on the
 * database. Each instance's scheduler fires as usual; the period's slot (the database clock divided
 * by the period, so pods with skewed clocks agree) is claimed by one atomic upsert, and only the
 * instance whose claim wins runs the job. A job that fails loses its slot; the next one retries.
 * Jobs on an instance's own memory (caches, stream keep-alives) do not come here.
 */
@ApplicationScoped
public class ClusterJobs {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ClusterJobs.class);
    private final Pool pool;
    private final InstanceId instance;
    private final MeterRegistry metrics;

    public ClusterJobs(Pool pool, InstanceId instance, MeterRegistry metrics) {
        this.pool = pool;
        this.instance = instance;
        this.metrics = metrics;
    }

    public Uni<Void> once(String name, Duration period, Supplier<Uni<?>> job) {
        return Overload.orSkipped(
                pool.preparedQuery("""
                        INSERT INTO scheduled_job (name, last_slot, last_run_at, last_instance)
                        VALUES ($1, floor(extract(epoch FROM clock_timestamp()) * 1000 / $2)::bigint, clock_timestamp(), $3)
                        ON CONFLICT (name) DO UPDATE SET last_slot = EXCLUDED.last_slot, last_run_at = EXCLUDED.last_run_at,
                            last_instance = EXCLUDED.last_instance, runs = scheduled_job.runs + 1
                        WHERE scheduled_job.last_slot < EXCLUDED.last_slot
                        RETURNING name""")
                        .execute(Tuple.of(name, Math.max(1, period.toMillis()), instance.value()))
                        .flatMap(rows -> {
                            boolean claimed = rows.size() > 0;
                            metrics.counter(
                                            "phocap.scheduled.jobs",
                                            "job",
                                            name,
                                            "outcome",
                                            claimed ? "ran" : "skipped")
                                    .increment();
                            return claimed
                                    ? job.get().replaceWithVoid()
                                    : Uni.createFrom().voidItem();
                        }),
                LOG,
                "Scheduled job " + name);
    }
}

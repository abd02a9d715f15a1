package org.phocap.integrity;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phocap.platform.Hashing;

/**
 * SHARED_DEVICE and CONCURRENT_DEVICES, from {@code device_use}: one row per device, day and
 * learner, written only when a learner's device or day changes or a heartbeat is refused because
 * another device studied in the account. After each write the touched devices and learners are
 * judged against the thresholds with two indexed queries (never a scan of all activity).
 */
@ApplicationScoped
public class DeviceSignals {
    private final Pool pool;
    private final ZoneId zone;
    private final int sharedLearners;
    private final int refusals;
    private final int switches;

    public DeviceSignals(Pool pool, IntegrityConfig integrityConfig) {
        ZoneId zone = integrityConfig.zone();
        int sharedLearners = integrityConfig.sharedDeviceLearners();
        int refusals = integrityConfig.concurrentRefusals();
        int switches = integrityConfig.deviceSwitches();
        this.pool = pool;
        this.zone = zone;
        this.sharedLearners = sharedLearners;
        this.refusals = refusals;
        this.switches = switches;
    }

    private record Key(String deviceId, LocalDate day, long learnerId) {}

    private static final class Use {
        Instant first;
        Instant last;
        int switches;
        int refusals;
    }

    /** Records the moments and answers the signs they complete. */
    Uni<List<IntegritySignal>> seen(List<DeviceSeen> seen) {
        // One row per key in the statement (an upsert may not touch a row twice).
        Map<Key, Use> uses = new LinkedHashMap<>();
        for (DeviceSeen d : seen) {
            Use use = uses.computeIfAbsent(
                    new Key(d.deviceId(), LocalDate.ofInstant(d.at(), zone), d.learnerId()), k -> new Use());
            use.first = use.first == null || d.at().isBefore(use.first) ? d.at() : use.first;
            use.last = use.last == null || d.at().isAfter(use.last) ? d.at() : use.last;
            use.switches += d.switched() ? 1 : 0;
            use.refusals += d.refused() ? 1 : 0;
        }
        int n = uses.size();
        String[] devices = new String[n];
        LocalDate[] days = new LocalDate[n];
        Long[] learners = new Long[n];
        OffsetDateTime[] firsts = new OffsetDateTime[n];
        OffsetDateTime[] lasts = new OffsetDateTime[n];
        Integer[] switched = new Integer[n];
        Integer[] refused = new Integer[n];
        int i = 0;
        for (Map.Entry<Key, Use> e : uses.entrySet()) {
            devices[i] = e.getKey().deviceId();
            days[i] = e.getKey().day();
            learners[i] = e.getKey().learnerId();
            firsts[i] = e.getValue().first.atOffset(ZoneOffset.UTC);
            lasts[i] = e.getValue().last.atOffset(ZoneOffset.UTC);
            switched[i] = e.getValue().switches;
            refused[i] = e.getValue().refusals;
            i++;
        }
        return pool.preparedQuery("""
                        INSERT INTO device_use (device_id, day, learner_id, first_at, last_at, switches, refusals)
                        SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[], $4::timestamptz[], $5::timestamptz[],
                                             $6::int[], $7::int[])
                        ON CONFLICT (device_id, day, learner_id) DO UPDATE SET
                            first_at = least(device_use.first_at, EXCLUDED.first_at),
                            last_at = greatest(device_use.last_at, EXCLUDED.last_at),
                            switches = device_use.switches + EXCLUDED.switches,
                            refusals = device_use.refusals + EXCLUDED.refusals""")
                .execute(Tuple.from(new Object[] {devices, days, learners, firsts, lasts, switched, refused}))
                .chain(() -> shared(devices, days))
                .chain(found -> concurrent(learners, days).map(more -> {
                    List<IntegritySignal> all = new ArrayList<>(found);
                    all.addAll(more);
                    return all;
                }));
    }

    /** Learners of one campaign who studied on one device within a day, when there are enough of them. */
    private Uni<List<IntegritySignal>> shared(String[] devices, LocalDate[] days) {
        return pool.preparedQuery("""
                        SELECT du.device_id, du.day, e.campaign_id, array_agg(DISTINCT du.learner_id) AS learners
                        FROM device_use du JOIN enrolment_view e ON e.learner_id = du.learner_id
                        WHERE (du.device_id, du.day) IN (SELECT * FROM unnest($1::text[], $2::date[]))
                        GROUP BY du.device_id, du.day, e.campaign_id
                        HAVING count(DISTINCT du.learner_id) >= $3""")
                .execute(Tuple.of(devices, days, sharedLearners))
                .map(rows -> {
                    List<IntegritySignal> found = new ArrayList<>();
                    for (Row r : rows) {
                        Long[] together = r.getArrayOfLongs("learners");
                        String device = deviceRef(r.getString("device_id"));
                        String day = r.getLocalDate("day").toString();
                        for (Long learner : together) {
                            found.add(new IntegritySignal(
                                    learner,
                                    r.getLong("campaign_id"),
                                    0,
                                    "SHARED_DEVICE",
                                    "MEDIUM",
                                    device + "-" + day,
                                    Map.of(
                                            "device",
                                            device,
                                            "day",
                                            day,
                                            "learners",
                                            together.length,
                                            "threshold",
                                            sharedLearners)));
                        }
                    }
                    return found;
                });
    }

    /** Learners refused for another device's study, or switching devices, often enough within a day. */
    private Uni<List<IntegritySignal>> concurrent(Long[] learners, LocalDate[] days) {
        return pool.preparedQuery("""
                        SELECT learner_id, day, sum(refusals) AS refusals, sum(switches) AS switches,
                               count(DISTINCT device_id) AS devices
                        FROM device_use
                        WHERE (learner_id, day) IN (SELECT * FROM unnest($1::bigint[], $2::date[]))
                        GROUP BY learner_id, day
                        HAVING sum(refusals) >= $3 OR sum(switches) >= $4""")
                .execute(Tuple.of(learners, days, refusals, switches))
                .map(rows -> {
                    List<IntegritySignal> found = new ArrayList<>();
                    for (Row r : rows) {
                        String day = r.getLocalDate("day").toString();
                        found.add(new IntegritySignal(
                                r.getLong("learner_id"),
                                0,
                                "CONCURRENT_DEVICES",
                                "MEDIUM",
                                "day-" + day,
                                Map.of(
                                        "day",
                                        day,
                                        "refusals",
                                        r.getLong("refusals"),
                                        "switches",
                                        r.getLong("switches"),
                                        "devices",
                                        r.getLong("devices"),
                                        "refusalThreshold",
                                        refusals,
                                        "switchThreshold",
                                        switches)));
                    }
                    return found;
                });
    }

    /** A device named by a digest: supporters can tell devices apart without learning an id that opens an account's study. */
    static String deviceRef(String deviceId) {
        return Hashing.sha256(deviceId).substring(0, 12);
    }
}

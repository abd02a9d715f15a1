package org.phocap.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.phocap.report.ReportDtos.ReportRow;

class LevelCountsTest {
    // A province VP (depth 1), districts D1, D2 (2), communes C11, C12, C21 (3).
    private static LevelCounts.Builder communes() {
        return new LevelCounts.Builder(Set.of("VP"), 3);
    }

    private static LevelCounts.Builder province(LevelCounts.Builder b) {
        return b.add("VP", 1, null, 100, 80, 60, 40)
                .add("D1", 2, null, 70, 60, 50, 30)
                .add("C11", 3, null, 40, 30, 20, 10)
                .add("C12", 3, null, 20, 20, 20, 15)
                .add("C21", 3, null, 30, 20, 10, 5);
    }

    @Test
    void rowsAreTheLevelsGroupsInKeyOrderAfterTheLearnersAboveIt() {
        List<ReportRow> rows = province(communes()).build().rows();
        assertEquals(
                List.of("", "C11", "C12", "C21"),
                rows.stream().map(ReportRow::key).toList());
        // Above the level: the province's 100 less the communes' 90.
        assertEquals(10, rows.get(0).enrolled());
        assertEquals(LevelCounts.ABOVE_NAME, rows.get(0).name());
        assertEquals(0L, rows.get(1).openFlags());
    }

    @Test
    void aRootBelowTheLevelCountsUnderItsAncestorThere() {
        // A commune supporter asking for districts: their commune under its district, nothing above.
        LevelCounts counts = new LevelCounts.Builder(Set.of("C12"), 2)
                .add("C12", 3, "/VP/D1/C12/", 20, 20, 20, 15)
                .build();
        List<ReportRow> rows = counts.rows();
        assertEquals(1, rows.size());
        assertEquals("D1", rows.get(0).key());
        assertEquals(15, rows.get(0).completed());
    }

    @Test
    void unfoldedChangesAddUpWithTheKeptCounts() {
        LevelCounts kept = province(communes()).build();
        // Five new learners in C12, a new commune C22 with three, and one learner of C21 left.
        LevelCounts pending = communes()
                .add("VP", 1, null, 7, 0, 0, 0)
                .add("C12", 3, null, 5, 0, 0, 0)
                .add("C22", 3, null, 3, 0, 0, 0)
                .add("C21", 3, null, -1, 0, 0, 0)
                .build();
        List<ReportRow> rows = kept.plus(pending).rows();
        assertEquals(
                List.of("", "C11", "C12", "C21", "C22"),
                rows.stream().map(ReportRow::key).toList());
        assertEquals(
                List.of(10L, 40L, 25L, 29L, 3L),
                rows.stream().map(ReportRow::enrolled).toList());
        // The kept counts are not changed.
        assertEquals(20, kept.rows().get(2).enrolled());
        assertSame(kept, kept.plus(communes().build()));
        // The same changes added again (the next call before anything new): the same sum, its rows
        // and ranking worked out once; other changes: another sum.
        LevelCounts again = communes()
                .add("C22", 3, null, 3, 0, 0, 0)
                .add("VP", 1, null, 7, 0, 0, 0)
                .add("C21", 3, null, -1, 0, 0, 0)
                .add("C12", 3, null, 5, 0, 0, 0)
                .build();
        assertSame(kept.plus(pending), kept.plus(again));
        LevelCounts other = communes().add("C12", 3, null, 4, 0, 0, 0).build();
        assertEquals(24, kept.plus(other).rows().get(2).enrolled());
        assertEquals(25, kept.plus(pending).rows().get(2).enrolled());
    }

    @Test
    void aGroupWhoseLearnersAllLeftIsNotShown() {
        LevelCounts counts = province(communes())
                .build()
                .plus(communes()
                        .add("VP", 1, null, -20, -20, -20, -15)
                        .add("C12", 3, null, -20, -20, -20, -15)
                        .build());
        assertEquals(
                List.of("", "C11", "C21"),
                counts.rows().stream().map(ReportRow::key).toList());
    }

    @Test
    void flagsGoToTheirGroupsOnly() {
        LevelCounts counts = province(communes()).build();
        List<ReportRow> rows =
                counts.rows(Map.of("C12", new long[] {2, 1}, "", new long[] {1, 0}, "C99", new long[] {5, 5}));
        assertEquals(1L, rows.get(0).openFlags());
        assertEquals(2L, rows.get(2).openFlags());
        assertEquals(1L, rows.get(2).flaggedCompleted());
        assertEquals(0L, rows.get(1).openFlags());
        // The rows without flags are the same ones as before.
        assertSame(counts.rows().get(3), rows.get(3));
    }

    @Test
    void theRankingSharesRanksAmongEqualsAndLeavesOutTheRowAbove() {
        LevelCounts counts = communes()
                .add("VP", 1, null, 40, 0, 0, 20)
                .add("C1", 3, null, 10, 0, 0, 5)
                .add("C2", 3, null, 10, 0, 0, 5)
                .add("C3", 3, null, 10, 0, 0, 9)
                .add("C4", 3, null, 4, 0, 0, 1)
                .build();
        LevelCounts.Ranking ranking = counts.ranking();
        assertEquals(
                List.of("C3", "C1", "C2", "C4"),
                ranking.rows().stream().map(ReportRow::key).toList());
        assertEquals(
                List.of(1, 2, 2, 4),
                java.util.Arrays.stream(ranking.ranks()).boxed().toList());
        assertSame(ranking, counts.ranking());
    }

    @Test
    void keptPlusPendingEqualsSummingEverythingAtOnce() {
        Random random = new Random(22);
        for (int round = 0; round < 200; round++) {
            LevelCounts.Builder kept = communes();
            LevelCounts.Builder pending = communes();
            LevelCounts.Builder all = communes();
            for (int i = 0; i < 30; i++) {
                String code = "C" + random.nextInt(20);
                long n = random.nextInt(10) - 2;
                (random.nextBoolean() ? kept : pending).add(code, 3, null, n, 0, 0, n / 2);
                all.add(code, 3, null, n, 0, 0, n / 2);
                if (random.nextInt(5) == 0) {
                    kept.add("VP", 1, null, n, 0, 0, 0);
                    all.add("VP", 1, null, n, 0, 0, 0);
                }
            }
            assertEquals(
                    byKey(all.build().rows()),
                    byKey(kept.build().plus(pending.build()).rows()));
        }
    }

    private static Map<String, List<Long>> byKey(List<ReportRow> rows) {
        Map<String, List<Long>> map = new TreeMap<>();
        rows.forEach(r -> map.put(r.key(), List.of(r.enrolled(), r.completed())));
        return map;
    }
}

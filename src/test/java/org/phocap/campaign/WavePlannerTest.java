package org.phocap.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wave planner alone: no application, no database. */
class WavePlannerTest {
    static long nextId = 1;

    static WavePlanner.Unit unit(String code, String group, int size) {
        List<Long> ids = LongStream.range(nextId, nextId + size).boxed().toList();
        nextId += size;
        return new WavePlanner.Unit(code, code, group, ids);
    }

    /** Every learner placed exactly once; no wave over maxConcurrent or a group's capacity. */
    static void assertSound(
            List<WavePlanner.Unit> units, Map<String, Integer> capacity, int max, WavePlanner.Plan plan) {
        Set<Long> placed = new HashSet<>();
        int total = 0;
        for (WavePlanner.PlannedWave wave : plan.waves()) {
            assertTrue(wave.learners() <= max, "wave " + wave.index() + " holds " + wave.learners());
            Map<String, Integer> load = new HashMap<>();
            for (WavePlanner.Placement p : wave.placements()) {
                for (Long id : p.learnerIds()) {
                    assertTrue(placed.add(id), "learner " + id + " placed twice");
                }
                if (p.unit().group() != null) {
                    load.merge(p.unit().group(), p.learnerIds().size(), Integer::sum);
                }
            }
            load.forEach((group, n) -> assertTrue(n <= capacity.get(group), group + " carries " + n + " in a wave"));
            assertEquals(load, wave.groupLoad());
        }
        for (WavePlanner.Unit u : units) {
            total += u.learnerIds().size();
        }
        assertEquals(total, placed.size(), "every learner placed");
        assertTrue(plan.waves().size() >= plan.lowerBound());
    }

    @ParameterizedTest(name = "units {0}, maxConcurrent {1} → {2} waves (lower bound {3})")
    @CsvSource(
            delimiter = '|',
            value = {
                "50,50,50,50 | 100 | 2 | 2",
                "60,50,40    | 100 | 2 | 2", // 60+40, then 50
                "70,70,70    | 100 | 3 | 3",
                "250         | 100 | 3 | 3", // split over three consecutive waves
                "30,20,10    | 100 | 1 | 1",
                "1           | 1   | 1 | 1",
            })
    void placesUnitsLargestFirstIntoTheEarliestWaveWithRoom(String sizes, int max, int waves, int lowerBound) {
        List<WavePlanner.Unit> units = new ArrayList<>();
        int i = 0;
        for (String size : sizes.split(",")) {
            units.add(unit("U" + i++, null, Integer.parseInt(size.strip())));
        }
        WavePlanner.Plan plan = WavePlanner.plan(units, Map.of(), max);
        assertEquals(waves, plan.waves().size());
        assertEquals(lowerBound, plan.lowerBound());
        assertSound(units, Map.of(), max, plan);
    }

    @Test
    void aUnitThatFitsAWaveIsNeverSplitAndALargerOneFillsConsecutiveWaves() {
        List<WavePlanner.Unit> units = List.of(unit("big", null, 250), unit("small", null, 40));
        WavePlanner.Plan plan = WavePlanner.plan(units, Map.of(), 100);
        assertSound(units, Map.of(), 100, plan);
        List<Integer> bigParts = new ArrayList<>();
        for (WavePlanner.PlannedWave wave : plan.waves()) {
            for (WavePlanner.Placement p : wave.placements()) {
                if (p.unit().code().equals("small")) {
                    assertFalse(p.split());
                    assertEquals(40, p.learnerIds().size());
                } else {
                    assertTrue(p.split());
                    bigParts.add(wave.index());
                }
            }
        }
        assertEquals(List.of(0, 1, 2), bigParts);
    }

    @Test
    void aSupportGroupNeverCarriesMoreThanItsCapacityInOneWave() {
        // Two communes helped by one district group of 2 supporters × 50 learners = 100 a wave.
        Map<String, Integer> capacity = Map.of("248", 100, "243", 500);
        List<WavePlanner.Unit> units =
                List.of(unit("24801", "248", 80), unit("24802", "248", 80), unit("24301", "243", 80));
        WavePlanner.Plan plan = WavePlanner.plan(units, capacity, 1000);
        assertSound(units, capacity, 1000, plan);
        assertEquals(2, plan.waves().size(), "the district's two communes cannot share a wave");
        assertEquals(2, plan.lowerBound(), "160 learners for a group of 100 a wave");
    }

    @Test
    void theSameInputGivesTheSamePlanWhateverTheOrder() {
        Random random = new Random(5);
        List<WavePlanner.Unit> units = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            units.add(unit(String.format("U%02d", i), "G" + (i % 3), 1 + random.nextInt(120)));
        }
        Map<String, Integer> capacity = Map.of("G0", 300, "G1", 200, "G2", 150);
        WavePlanner.Plan plan = WavePlanner.plan(units, capacity, 500);
        assertSound(units, capacity, 500, plan);
        List<WavePlanner.Unit> reversed = new ArrayList<>(units);
        java.util.Collections.reverse(reversed);
        assertEquals(plan, WavePlanner.plan(reversed, capacity, 500));
    }
}

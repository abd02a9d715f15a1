package org.phocap.campaign;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits learners into waves, pure logic. Units are communes (learners who should study together);
 * each unit is helped by its support group, the nearest locality up its tree that has supporters,
 * which takes at most supporters × learnersPerSupporter learners per wave. No wave exceeds
 * maxConcurrent. Units are placed largest first into the earliest wave with room (first-fit
 * decreasing), whole whenever a unit fits an empty wave; a unit larger than that is split over
 * consecutive waves. Same input, same plan.
 */
public final class WavePlanner {
    private WavePlanner() {}

    /** A group of learners to keep together; group is its support group's code, or null without supporters. */
    public record Unit(String code, String name, String group, List<Long> learnerIds) {}

    /** One part of a unit placed in a wave. */
    public record Placement(Unit unit, List<Long> learnerIds, boolean split) {}

    public record PlannedWave(int index, List<Placement> placements, int learners, Map<String, Integer> groupLoad) {}

    public record Plan(List<PlannedWave> waves, int lowerBound) {}

    public static Plan plan(List<Unit> units, Map<String, Integer> groupCapacity, int maxConcurrent) {
        List<Unit> order = new ArrayList<>(units);
        order.sort(Comparator.comparingInt((Unit u) -> u.learnerIds().size())
                .reversed()
                .thenComparing(Unit::code));
        List<Builder> waves = new ArrayList<>();
        for (Unit unit : order) {
            int limit = limitFor(unit, groupCapacity, maxConcurrent);
            int size = unit.learnerIds().size();
            if (size == 0) {
                continue;
            }
            if (size <= limit) {
                Builder target = null;
                for (Builder w : waves) {
                    if (w.room(unit.group(), groupCapacity, maxConcurrent) >= size) {
                        target = w;
                        break;
                    }
                }
                if (target == null) {
                    target = new Builder(waves.size());
                    waves.add(target);
                }
                target.add(unit, unit.learnerIds(), false, groupCapacity);
                continue;
            }
            // Too large for one wave: fill the earliest waves with room, in learner order.
            int next = 0;
            for (int i = 0; next < size; i++) {
                if (i == waves.size()) {
                    waves.add(new Builder(i));
                }
                int room = waves.get(i).room(unit.group(), groupCapacity, maxConcurrent);
                if (room > 0) {
                    int take = Math.min(room, size - next);
                    waves.get(i).add(unit, unit.learnerIds().subList(next, next + take), true, groupCapacity);
                    next += take;
                }
            }
        }
        return new Plan(waves.stream().map(Builder::build).toList(), lowerBound(units, groupCapacity, maxConcurrent));
    }

    /** No plan can have fewer waves: by total size, and by each support group's load. */
    static int lowerBound(List<Unit> units, Map<String, Integer> groupCapacity, int maxConcurrent) {
        long total = 0;
        Map<String, Long> perGroup = new TreeMap<>();
        for (Unit u : units) {
            total += u.learnerIds().size();
            if (u.group() != null) {
                perGroup.merge(u.group(), (long) u.learnerIds().size(), Long::sum);
            }
        }
        long bound = (total + maxConcurrent - 1) / maxConcurrent;
        for (var e : perGroup.entrySet()) {
            long cap = groupCapacity.get(e.getKey());
            bound = Math.max(bound, (e.getValue() + cap - 1) / cap);
        }
        return (int) bound;
    }

    private static int limitFor(Unit unit, Map<String, Integer> groupCapacity, int maxConcurrent) {
        return unit.group() == null ? maxConcurrent : Math.min(maxConcurrent, groupCapacity.get(unit.group()));
    }

    private static final class Builder {
        final int index;
        final List<Placement> placements = new ArrayList<>();
        final Map<String, Integer> groupLoad = new LinkedHashMap<>();
        int learners;

        Builder(int index) {
            this.index = index;
        }

        int room(String group, Map<String, Integer> groupCapacity, int maxConcurrent) {
            int room = maxConcurrent - learners;
            if (group != null) {
                room = Math.min(room, groupCapacity.get(group) - groupLoad.getOrDefault(group, 0));
            }
            return room;
        }

        void add(Unit unit, List<Long> ids, boolean split, Map<String, Integer> groupCapacity) {
            placements.add(new Placement(unit, List.copyOf(ids), split));
            learners += ids.size();
            if (unit.group() != null) {
                groupLoad.merge(unit.group(), ids.size(), Integer::sum);
            }
        }

        PlannedWave build() {
            List<Placement> sorted = new ArrayList<>(placements);
            sorted.sort(Comparator.comparing((Placement p) -> p.unit().code()));
            return new PlannedWave(index, sorted, learners, new TreeMap<>(groupLoad));
        }
    }
}

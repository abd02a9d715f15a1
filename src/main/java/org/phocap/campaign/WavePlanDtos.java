package org.phocap.campaign;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Request and answer shapes of the wave planner. */
public final class WavePlanDtos {
    private WavePlanDtos() {}

    /**
     * supporters: locality code → number of supporters, replacing the SUPPORTER accounts' scopes;
     * unitLevel: the tree level whose localities are kept whole (3, communes, by default).
     */
    public record PlanRequest(
            @NotNull LocalDate startsOn,
            @NotNull @Min(5) @Max(7) Integer waveDays,
            @NotNull @Min(1) @Max(1_000_000) Integer maxConcurrent,
            @NotNull @Min(1) @Max(100_000) Integer learnersPerSupporter,
            @Min(0) @Max(30) Integer gapDays,
            @Min(1) @Max(10) Integer unitLevel,
            @Size(max = 10_000) Map<String, @NotNull @Min(0) @Max(100_000) Integer> supporters) {}

    public record UnitShare(String code, String name, int learners, boolean split) {}

    public record SupporterLoad(String localityCode, int supporters, int learners, int perSupporter, int limit) {}

    public record WavePlanEntry(
            int index,
            Long waveId,
            String name,
            Instant opensAt,
            Instant closesAt,
            int learners,
            List<UnitShare> units,
            List<SupporterLoad> supporterLoad) {}

    public record WavePlan(
            long campaignId,
            int learners,
            int keptStudying,
            int lowerBoundWaves,
            LocalDate finishesOn,
            List<String> unsupportedUnits,
            List<WavePlanEntry> waves) {}
}

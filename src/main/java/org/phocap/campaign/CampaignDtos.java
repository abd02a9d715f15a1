package org.phocap.campaign;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Request and answer shapes of campaigns and waves. */
public final class CampaignDtos {
    private CampaignDtos() {}

    public record CreateCampaign(
            @NotBlank @Size(max = 200) String name,
            @NotNull @Min(2000) @Max(2100) Integer year,
            @NotBlank @Size(max = 32) String localityCode,
            @NotNull @Size(max = 50) List<@NotNull Long> courseIds,
            @NotNull @Min(1) @Max(10_000_000) Integer targetLearners,

            @Pattern(regexp = "[A-Z0-9]{1,8}", message = "1 to 8 capital letters or digits")
            String certificatePrefix,

            @Size(max = 300) String issuingBody) {}

    public record CampaignView(
            long id,
            String name,
            int year,
            String localityCode,
            List<Long> courseIds,
            int targetLearners,
            long enrolled,
            String certificatePrefix,
            String issuingBody,
            Instant createdAt) {}

    public record CreateWave(
            @NotBlank @Size(max = 200) String name,
            @NotNull Instant opensAt,
            @NotNull Instant closesAt,
            @NotNull @Min(1) @Max(10_000_000) Integer capacity,
            @Min(0) @Max(10_080) Integer graceMinutes) {}

    public record WaveView(
            long id,
            long campaignId,
            String name,
            Instant opensAt,
            Instant closesAt,
            int capacity,
            int graceMinutes,
            long assigned) {}

    public record AssignLearners(
            @Size(max = 1000) List<@NotBlank String> localityCodes,
            @Size(max = 10_000) List<@NotNull Long> learnerIds,
            @Size(max = 32) String nominatedBy) {}

    public record AssignResult(long assigned, long waveTotal, int capacity) {}
}

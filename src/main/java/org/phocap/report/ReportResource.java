package org.phocap.report;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.Role;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;
import org.phocap.platform.CheckedBeforeStream;
import org.phocap.platform.CsvLines;
import org.phocap.platform.Json;
import org.phocap.platform.PageConfig;
import org.phocap.platform.PageRequest;
import org.phocap.report.ReportDtos.Leaderboard;
import org.phocap.report.ReportDtos.Report;
import org.phocap.report.ReportDtos.ReportRow;

/** Completion reports inside the caller's scope: by locality level or by a roster attribute, as JSON or CSV. */
// The stream access filter reads @CheckedBeforeStream off the method: registered for the native image.
@Tag(name = ApiTags.REPORTS, description = ApiTags.REPORTS_ABOUT)
@io.quarkus.runtime.annotations.RegisterForReflection(methods = true)
@Path("/api/v1/campaigns/{id}")
@RolesAllowed({Role.ADMIN, Role.SUPPORTER})
public class ReportResource {
    private static final Duration LIVE_TICK = Duration.ofSeconds(1);

    private final ReportService reports;
    private final StaffScope scopes;
    private final Json json;
    private final int maxPageSize;

    public ReportResource(ReportService reports, StaffScope scopes, Json json, PageConfig pageConfig) {
        this.reports = reports;
        this.scopes = scopes;
        this.json = json;
        this.maxPageSize = pageConfig.maxSize();
    }

    @GET
    @Path("/report")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Enrolled, activated, started and completed learners with the completion rate, grouped by "
                            + "locality (level N below the campaign's locality) or nominatedBy, targetGroup, wave, gender, ethnicity")
    public Uni<Report> report(
            @PathParam("id") long id,
            @QueryParam("groupBy") @DefaultValue("locality") String groupBy,
            @QueryParam("level") @DefaultValue("1") int level,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue(DEFAULT_PAGE) int size) {
        PageRequest.check(page, size, maxPageSize);
        return scopes.scope().flatMap(scope -> reports.report(id, groupBy, level, scope, page, size));
    }

    /** Rows per page unless asked, as the other long lists (at-risk, certificates, flags). */
    private static final String DEFAULT_PAGE = "100";

    private Uni<Report> all(long id, String groupBy, int level) {
        return scopes.scope().flatMap(scope -> reports.report(id, groupBy, level, scope, 0, Integer.MAX_VALUE));
    }

    @GET
    @Path("/report")
    // The lower quality keeps JSON the answer to Accept: */*; the answer's own type is set plainly below.
    @Produces("text/csv;qs=0.5")
    @Operation(summary = "The same report as CSV (Accept: text/csv): its rows, then the totals as TOTAL")
    @APIResponse(
            responseCode = "200",
            description = "CSV with a header row",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)))
    public Uni<Response> reportCsv(
            @PathParam("id") long id,
            @QueryParam("groupBy") @DefaultValue("locality") String groupBy,
            @QueryParam("level") @DefaultValue("1") int level) {
        // An export: every row, not a page.
        return all(id, groupBy, level).map(report -> {
            StringBuilder csv = new StringBuilder(CsvLines.line(
                    "key",
                    "name",
                    "enrolled",
                    "activated",
                    "started",
                    "completed",
                    "completion_rate",
                    "open_flags",
                    "flagged_completed",
                    "completion_rate_unflagged"));
            for (ReportRow r : report.rows()) {
                csv.append(line(
                        r.key(),
                        r.name(),
                        r.enrolled(),
                        r.activated(),
                        r.started(),
                        r.completed(),
                        r.completionRate(),
                        r.openFlags(),
                        r.flaggedCompleted(),
                        r.completionRateUnflagged()));
            }
            Counts t = report.totals();
            csv.append(line(
                    "TOTAL",
                    "Tổng cộng",
                    t.enrolled(),
                    t.activated(),
                    t.started(),
                    t.completed(),
                    t.completionRate(),
                    report.openFlags(),
                    null,
                    null));
            return Response.ok(csv.toString()).type("text/csv;charset=UTF-8").build();
        });
    }

    @GET
    @Path("/leaderboard")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Localities at level N below the campaign's, ranked by completion rate, then by completions")
    public Uni<Leaderboard> leaderboard(
            @PathParam("id") long id,
            @QueryParam("level") @DefaultValue("1") int level,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue(DEFAULT_PAGE) int size) {
        PageRequest.check(page, size, maxPageSize);
        return scopes.scope().flatMap(scope -> reports.leaderboard(id, level, scope, page, size));
    }

    @GET
    @Path("/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @CheckedBeforeStream(LiveCountersAccess.class)
    @Operation(
            summary = "SSE: 'counters' events with the campaign's totals in the caller's scope, at most one a second, "
                    + "sent when they change")
    public Multi<OutboundSseEvent> live(@PathParam("id") long id, @Context Sse sse) {
        // LiveCountersAccess has checked the campaign before the stream opened.
        return scopes.scope()
                .flatMap(scope -> reports.roots(id, scope))
                .onItem()
                .transformToMulti(roots -> Multi.createFrom()
                        .ticks()
                        .startingAfter(Duration.ofMillis(1))
                        .every(LIVE_TICK)
                        .onOverflow()
                        .drop()
                        .onItem()
                        .transformToUniAndConcatenate(tick -> reports.totals(id, roots)))
                .skip()
                .repetitions()
                .map(totals -> sse.newEventBuilder()
                        .name("counters")
                        .data(json.write(
                                Map.of("campaignId", id, "at", Instant.now().toString(), "totals", totals)))
                        .build());
    }

    /** A CSV row; the flag columns are empty where the grouping has none. */
    private static String line(
            String key,
            String name,
            long enrolled,
            long activated,
            long started,
            long completed,
            double rate,
            Long openFlags,
            Long flaggedCompleted,
            Double rateUnflagged) {
        return CsvLines.line(
                key,
                name,
                Long.toString(enrolled),
                Long.toString(activated),
                Long.toString(started),
                Long.toString(completed),
                Objects.toString(rate),
                Objects.toString(openFlags, ""),
                Objects.toString(flaggedCompleted, ""),
                Objects.toString(rateUnflagged, ""));
    }
}

package org.phocap.roster;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.auth.Role;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;
import org.phocap.platform.CheckedBeforeStream;

// The stream access filter reads @CheckedBeforeStream off the method: registered for the native image.
@Tag(name = ApiTags.ROSTERS, description = ApiTags.ROSTERS_ABOUT)
@io.quarkus.runtime.annotations.RegisterForReflection(methods = true)
@Path("/api/v1/imports/{id}")
@RolesAllowed({Role.ADMIN, Role.SUPPORTER})
public class ImportResource {
    private static final Duration TICK = Duration.ofMillis(500);

    private final RosterService roster;
    private final StaffScope scopes;
    private final org.phocap.platform.Json json;

    public ImportResource(RosterService roster, StaffScope scopes, org.phocap.platform.Json json) {
        this.roster = roster;
        this.scopes = scopes;
        this.json = json;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Status and counts of a roster import, with the first 100 errors (errors only for the importer and staff whose scope covers theirs)")
    public Uni<ImportStatus> status(@PathParam("id") long id) {
        return scopes.scope().flatMap(scope -> roster.status(id, scope));
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @CheckedBeforeStream(ImportEventsAccess.class)
    @Operation(summary = "SSE: 'progress' events twice a second while the import runs, then one 'done'")
    public Multi<OutboundSseEvent> events(@PathParam("id") long id, @Context Sse sse) {
        AtomicBoolean sentDone = new AtomicBoolean();
        return scopes.scope()
                .flatMap(scope -> roster.rowsVisible(id, scope))
                .onItem()
                .transformToMulti(withRows -> Multi.createFrom()
                        .ticks()
                        .every(TICK)
                        .onItem()
                        .transformToUniAndConcatenate(tick -> roster.currentStatus(id, withRows))
                        .onItem()
                        .transformToMultiAndConcatenate(status -> status.finished()
                                ? Multi.createFrom().items(event(sse, "progress", status), event(sse, "done", status))
                                : Multi.createFrom().item(event(sse, "progress", status))))
                // Keep everything up to and including 'done'; the next item ends the stream.
                .select()
                .first(event -> {
                    boolean keep = !sentDone.get();
                    if ("done".equals(event.getName())) {
                        sentDone.set(true);
                    }
                    return keep;
                });
    }

    @GET
    @Path("/rejected.csv")
    @Produces("text/csv")
    @Operation(summary = "Every rejected row with its line number and reason")
    public Uni<String> rejected(@PathParam("id") long id) {
        return scopes.scope().flatMap(scope -> roster.rejectedCsv(id, scope));
    }

    @GET
    @Path("/activation-codes.csv")
    @Produces("text/csv")
    @Operation(
            summary = "Activation codes of this import's learners who have not activated yet (in the caller's scope)")
    public Uni<String> activationCodes(@PathParam("id") long id) {
        return scopes.scope().flatMap(scope -> roster.activationCodesCsv(id, scope));
    }

    private OutboundSseEvent event(Sse sse, String name, ImportStatus status) {
        // Serialised here so the event carries plain "data:" JSON and no content-type line.
        return sse.newEventBuilder()
                .name(name)
                .id(name + "-" + status.total())
                .data(json.write(status))
                .build();
    }
}

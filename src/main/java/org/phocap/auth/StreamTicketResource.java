package org.phocap.auth;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.phocap.platform.ApiTags;

/** Trades the caller's access token for a stream ticket, for a browser's EventSource. */
@Tag(name = ApiTags.SIGN_IN, description = ApiTags.SIGN_IN_ABOUT)
@Path("/api/v1/me/stream-tickets")
public class StreamTicketResource {
    private final StreamTickets tickets;
    private final JsonWebToken token;

    public StreamTicketResource(StreamTickets tickets, JsonWebToken token) {
        this.tickets = tickets;
        this.token = token;
    }

    @POST
    @Authenticated
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "A single-use ticket (60 s) that opens one Server-Sent Events stream as the caller: "
                    + "GET <stream>?ticket=… (for EventSource, which cannot send Authorization)")
    @APIResponse(
            responseCode = "200",
            description = "The ticket and when it expires",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = StreamTickets.Ticket.class)))
    @APIResponse(responseCode = "429", description = "Too many unused tickets of this caller")
    public Uni<StreamTickets.Ticket> issue() {
        return tickets.issue(token);
    }
}

package org.phocap.staff;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.phocap.auth.CurrentUser;
import org.phocap.auth.Role;
import org.phocap.locality.StaffScope;
import org.phocap.platform.ApiTags;
import org.phocap.platform.Idempotency;

@Tag(name = ApiTags.STAFF, description = ApiTags.STAFF_ABOUT)
@Path("/api/v1/staff")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class StaffResource {
    private final StaffService staff;
    private final CurrentUser user;
    private final Idempotency idempotency;
    private final StaffScope scopes;

    public StaffResource(StaffService staff, CurrentUser user, Idempotency idempotency, StaffScope scopes) {
        this.staff = staff;
        this.user = user;
        this.idempotency = idempotency;
        this.scopes = scopes;
    }

    @POST
    @RolesAllowed(Role.ADMIN)
    @ResponseStatus(201)
    @Operation(summary = "Create a staff account (ADMIN or SUPPORTER) with a locality scope inside the caller's own")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = StaffDto.class)))
    public Uni<StaffDto> create(
            @Valid @NotNull CreateStaffRequest request, @HeaderParam(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.once(
                idempotencyKey,
                user.subject().jwtSubject(),
                "POST /staff",
                request,
                StaffDto.class,
                () -> scopes.scope().flatMap(scope -> staff.create(request, scope)));
    }
}

package org.phocap.roster;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;
import org.phocap.locality.StaffScope;
import org.phocap.platform.StreamAccess;

/** An import's event stream opens only for staff who see the import (404 before the stream otherwise). */
@ApplicationScoped
@io.quarkus.arc.Unremovable
public class ImportEventsAccess implements StreamAccess {
    private final RosterService roster;
    private final StaffScope scopes;

    public ImportEventsAccess(RosterService roster, StaffScope scopes) {
        this.roster = roster;
        this.scopes = scopes;
    }

    @Override
    public Uni<Void> check(UriInfo uri) {
        long id = StreamAccess.idParam(uri, "id");
        return scopes.scope().flatMap(scope -> roster.requireVisible(id, scope));
    }
}

package org.phocap.report;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;
import org.phocap.locality.StaffScope;
import org.phocap.platform.StreamAccess;

/** The live counters stream opens only for staff who see the campaign (404 before the stream otherwise). */
@ApplicationScoped
@io.quarkus.arc.Unremovable
public class LiveCountersAccess implements StreamAccess {
    private final ReportService reports;
    private final StaffScope scopes;

    public LiveCountersAccess(ReportService reports, StaffScope scopes) {
        this.reports = reports;
        this.scopes = scopes;
    }

    @Override
    public Uni<Void> check(UriInfo uri) {
        long id = StreamAccess.idParam(uri, "id");
        return scopes.scope().flatMap(scope -> reports.visible(id, scope));
    }
}

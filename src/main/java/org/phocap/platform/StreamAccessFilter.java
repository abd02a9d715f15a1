package org.phocap.platform;

import io.quarkus.arc.Arc;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/** Runs an SSE endpoint's {@link StreamAccess} before its stream opens; a refusal is mapped like any other problem. */
public class StreamAccessFilter {
    @ServerRequestFilter
    @CheckedBeforeStream
    public Uni<Response> check(SimpleResourceInfo resource, ContainerRequestContext request)
            throws NoSuchMethodException {
        CheckedBeforeStream checked = resource.getResourceClass()
                .getMethod(resource.getMethodName(), resource.parameterTypes())
                .getAnnotation(CheckedBeforeStream.class);
        StreamAccess access = Arc.container().instance(checked.value()).get();
        return access.check(request.getUriInfo()).replaceWith((Response) null);
    }
}

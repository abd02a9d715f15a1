package org.phocap.platform;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses to start with the management interface on the HTTP port. Vert.x would share the port
 * between the two servers, so each connection would reach one of them at random: probes and
 * Prometheus would fail now and then, and API calls would get 404 now and then, with nothing in
 * the log to say why. Port 0 (any free port, as tests use) is never refused.
 */
@ApplicationScoped
public class DistinctPorts {
    void check(@Observes @Priority(1) StartupEvent event, PortsConfig ports) {
        if (ports.http() > 0 && ports.http() == ports.management()) {
            throw new IllegalStateException("The management interface (PHOCAP_MANAGEMENT_PORT) and the HTTP server "
                    + "(QUARKUS_HTTP_PORT) are both set to port " + ports.http()
                    + "; give them different ports");
        }
    }
}

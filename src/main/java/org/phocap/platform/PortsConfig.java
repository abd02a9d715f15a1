package org.phocap.platform;

import io.smallrye.config.ConfigMapping;

/** The two ports as Quarkus binds them, read to refuse one port for both (DistinctPorts). Keys in application.properties. */
@ConfigMapping(prefix = "phocap.ports")
public interface PortsConfig {
    int http();

    int management();
}

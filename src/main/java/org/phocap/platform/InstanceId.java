package org.phocap.platform;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This process among the instances sharing one database: the host (the pod name on Kubernetes)
 * plus a random part, so two processes on one host, or a restarted pod, never pass for each other.
 */
@ApplicationScoped
public class InstanceId {
    private final String value;

    public InstanceId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "phocap");
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String h = host.length() > 60 ? host.substring(0, 60) : host;
        this.value = h.replace(':', '-') + "-" + HexFormat.of().formatHex(random);
    }

    public String value() {
        return value;
    }
}

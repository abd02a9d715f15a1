package org.phocap.platform;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is turned on by one setting: naming the collector in {@code PHOCAP_OTLP_ENDPOINT} turns
 * the OpenTelemetry SDK on ({@code quarkus.otel.sdk.disabled=false}); without it the SDK stays off
 * (application.properties). Ranks above application.properties and below the environment, so an
 * explicit {@code QUARKUS_OTEL_SDK_DISABLED} still wins.
 */
public class TracingSwitch implements ConfigSource {
    static final String ENDPOINT = "PHOCAP_OTLP_ENDPOINT";
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";

    @Override
    public Set<String> getPropertyNames() {
        return endpointNamed() ? Set.of(SDK_DISABLED) : Set.of();
    }

    @Override
    public Map<String, String> getProperties() {
        return endpointNamed() ? Map.of(SDK_DISABLED, "false") : Map.of();
    }

    @Override
    public String getValue(String name) {
        return SDK_DISABLED.equals(name) && endpointNamed() ? "false" : null;
    }

    @Override
    public String getName() {
        return "phocap-tracing-switch";
    }

    @Override
    public int getOrdinal() {
        return 275;
    }

    private static boolean endpointNamed() {
        String value = System.getProperty(ENDPOINT, System.getenv(ENDPOINT));
        return value != null && !value.isBlank();
    }
}

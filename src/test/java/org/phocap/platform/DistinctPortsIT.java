package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An operator who gives the management interface the HTTP port gets a start that stops and says why. */
class DistinctPortsIT {
    @Test
    void oneNumberForBothPortsStopsTheStartWithTheReason() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String port = String.valueOf(AppProcess.freePort());
            try (AppProcess app = AppProcess.start(
                    "distinct-ports",
                    "postgresql://localhost:" + postgres.getPort() + "/postgres",
                    Map.of("QUARKUS_HTTP_PORT", port, "PHOCAP_MANAGEMENT_PORT", port))) {
                assertTrue(app.waitForExit(Duration.ofSeconds(90)), "the start stops:\n" + app.log());
                assertTrue(
                        app.log().contains("are both set to port " + port + "; give them different ports"), app.log());
            }
        }
    }
}

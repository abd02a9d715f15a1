package org.phocap.integrity;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** IntegrityTest's REST tests against the packaged application (those not marked in-process only). */
@QuarkusIntegrationTest
class IntegrityIT extends IntegrityTest {}

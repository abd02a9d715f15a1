package org.phocap.locality;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** LocalityTest's REST tests against the packaged application (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
class LocalityIT extends LocalityTest {}

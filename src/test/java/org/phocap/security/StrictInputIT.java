package org.phocap.security;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** StrictInputTest's REST tests against the packaged application (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
class StrictInputIT extends StrictInputTest {}

package org.phocap.platform;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** IdempotencyTest's REST tests against the packaged application (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
class IdempotencyIT extends IdempotencyTest {}

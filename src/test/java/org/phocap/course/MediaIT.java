package org.phocap.course;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** MediaTest's REST tests against the packaged application (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
class MediaIT extends MediaTest {}

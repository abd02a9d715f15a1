package org.phocap.progress;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** ProgressTest's REST tests against the packaged application (those not marked in-process only). */
@QuarkusIntegrationTest
class ProgressIT extends ProgressTest {}

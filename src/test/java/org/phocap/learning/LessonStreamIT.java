package org.phocap.learning;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** LessonStreamTest's REST tests against the packaged application (those not marked in-process only). */
@QuarkusIntegrationTest
class LessonStreamIT extends LessonStreamTest {}

package org.phocap.course;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** CourseZipTest's REST tests against the packaged application (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
class CourseZipIT extends CourseZipTest {}

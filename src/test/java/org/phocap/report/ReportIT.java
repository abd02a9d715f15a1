package org.phocap.report;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** ReportTest's REST tests against the packaged application. */
@QuarkusIntegrationTest
class ReportIT extends ReportTest {}

package org.phocap.audit;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** AuditTest's REST tests against the packaged application (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
class AuditIT extends AuditTest {}

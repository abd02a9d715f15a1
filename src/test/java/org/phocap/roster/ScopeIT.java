package org.phocap.roster;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** ScopeTest's REST tests against the packaged application (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
class ScopeIT extends ScopeTest {}

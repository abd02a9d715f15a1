package org.phocap.roster;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** RosterImportTest's REST tests against the packaged application (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
class RosterImportIT extends RosterImportTest {}

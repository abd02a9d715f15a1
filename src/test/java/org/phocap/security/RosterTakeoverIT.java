package org.phocap.security;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** RosterTakeoverTest's REST tests against the packaged application (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
class RosterTakeoverIT extends RosterTakeoverTest {}

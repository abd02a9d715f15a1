package org.phocap.security;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** SignInThrottleTest's REST tests against the packaged application (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
class SignInThrottleIT extends SignInThrottleTest {}

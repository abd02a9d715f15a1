package org.phocap.auth;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** PinChangeTest's REST tests against the packaged application (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
class PinChangeIT extends PinChangeTest {}

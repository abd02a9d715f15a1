package org.phocap.quiz;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** QuizTest's REST tests against the packaged application (those not marked in-process only). */
@QuarkusIntegrationTest
class QuizIT extends QuizTest {}

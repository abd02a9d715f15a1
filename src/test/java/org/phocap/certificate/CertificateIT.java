package org.phocap.certificate;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** CertificateTest's REST tests against the packaged application (those not marked in-process only). */
@QuarkusIntegrationTest
class CertificateIT extends CertificateTest {}

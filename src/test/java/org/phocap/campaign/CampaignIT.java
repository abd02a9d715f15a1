package org.phocap.campaign;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** CampaignTest's REST tests against the packaged application (those not marked in-process only). */
@QuarkusIntegrationTest
class CampaignIT extends CampaignTest {}

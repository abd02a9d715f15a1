package org.phocap.campaign;

import io.smallrye.config.ConfigMapping;
import java.time.ZoneId;

/** Campaigns and waves. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.campaign")
public interface CampaignConfig {
    ZoneId zone();
}

package org.phocap.integrity;

import java.util.List;

/**
 * What one committed batch of heartbeats tells the integrity signals (fired after the commit, only
 * when there is something: most batches have neither a device change nor a sign).
 */
public record HeartbeatsObserved(List<DeviceSeen> devices, List<IntegritySignal> signals) {}

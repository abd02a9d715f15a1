package org.phocap.integrity;

import java.time.Instant;

/**
 * A learner was heard from on a device at a moment that matters to the device signals: their first
 * heartbeat, another device than last time ({@code switched}), a new day, or a heartbeat refused
 * because another device studied in the account ({@code refused}). Fired after the heartbeats are
 * stored, never per heartbeat.
 */
public record DeviceSeen(long learnerId, String deviceId, Instant at, boolean switched, boolean refused) {}

package org.phocap.progress;

import java.time.ZoneId;

/**
 * The limits the integrity of study time is judged by (see docs/progress-credit.md).
 *
 * @param zone                 where a learner's day begins and ends (the province's time zone)
 * @param maxDaySec            credited study beyond this in one day is implausible (default 10 h)
 * @param minObservedFraction  the share of what a lesson or course requires that the server must have
 *                             seen happen: below it a lesson's completion is a sign, and a course does
 *                             not complete (default 0.5)
 */
public record PaceLimits(ZoneId zone, double maxDaySec, double minObservedFraction) {
    /** What a lesson requires: its duration times its minimum coverage. */
    static double requiredSec(LessonMeta lesson) {
        return lesson.durationSec() * lesson.minCoverage();
    }
}

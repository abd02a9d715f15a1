package org.phocap.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Learners enrolled, activated, started and completed, with completed / enrolled rounded to 4 places. */
public record Counts(long enrolled, long activated, long started, long completed, double completionRate) {
    static Counts of(long enrolled, long activated, long started, long completed) {
        double rate = enrolled == 0
                ? 0
                : BigDecimal.valueOf(completed)
                        .divide(BigDecimal.valueOf(enrolled), 4, RoundingMode.HALF_UP)
                        .doubleValue();
        return new Counts(enrolled, activated, started, completed, rate);
    }
}

package org.phocap.quiz;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** Quizzes: grading and the expiry sweep. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.quiz")
public interface QuizConfig {
    boolean partialCredit();

    Duration submitGrace();

    Duration sweepEvery();
}

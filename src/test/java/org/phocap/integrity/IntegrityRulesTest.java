package org.phocap.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntegrityRulesTest {
    @ParameterizedTest(name = "{0} questions in {1} s at {2} s each, graded by {3}: fast {4}")
    @CsvSource({
        "5, 14, 3, LEARNER, true", // one second below 5 x 3
        "5, 15, 3, LEARNER, false", // at the threshold
        "5, 0, 3, LEARNER, true", // timeUsedSec 0: the scripted submit
        "10, 29, 3, LEARNER, true",
        "10, 30, 3, LEARNER, false",
        "5, 1, 3, EXPIRY, false", // saved answers graded at expiry are not a rush
        "0, 0, 3, LEARNER, false",
    })
    void aPassFasterThanTheThresholdPerQuestionIsFast(
            int questions, int seconds, int perQuestion, String by, boolean fast) {
        assertEquals(fast, IntegrityRules.fastQuiz(questions, seconds, perQuestion, by));
    }
}

package org.phocap.quiz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Grading alone: no application, no database. */
class GraderTest {
    static final List<Paper.Question> PAPER = List.of(
            new Paper.Question("single", "?", "SINGLE", List.of()),
            new Paper.Question("tf", "?", "TRUE_FALSE", List.of()),
            new Paper.Question("multi", "?", "MULTIPLE", List.of()));
    static final Map<String, List<String>> KEY =
            Map.of("single", List.of("B"), "tf", List.of("D"), "multi", List.of("A", "C"));

    /** "single=B;multi=A+C": the chosen keys per question; "-" for none answered. */
    static Map<String, List<String>> answers(String text) {
        Map<String, List<String>> answers = new HashMap<>();
        if (!text.equals("-")) {
            for (String part : text.split(";")) {
                String[] kv = part.split("=", -1);
                answers.put(kv[0], kv[1].isEmpty() ? List.of() : Arrays.asList(kv[1].split("\\+")));
            }
        }
        return answers;
    }

    @ParameterizedTest(name = "{0} (partial credit {1}) → score {2}, correct {3}, passed at 60: {4}")
    @CsvSource({
        "'single=B;tf=D;multi=A+C', false, 100, 3, true",
        "'single=B;tf=D;multi=C+A', false, 100, 3, true", // order of choices does not matter
        "'single=B;tf=D', false, 67, 2, true", // unanswered scores zero
        "'single=A;tf=D;multi=A+C', false, 67, 2, true",
        "'single=B+A;tf=D;multi=A+C', false, 67, 2, true", // two keys for a single answer: wrong
        "'single=B;tf=S;multi=A', false, 33, 1, false", // MULTIPLE all-or-nothing by default
        "'single=B;tf=S;multi=A', true, 50, 1, false", // half of it with partial credit
        "'single=B;tf=S;multi=A+B', true, 33, 1, false", // a wrong choice cancels a right one
        "'single=B;tf=S;multi=B+D', true, 33, 1, false", // never below zero
        "'single=B;tf=S;multi=', false, 33, 1, false",
        "-, false, 0, 0, false",
        "'other=A', false, 0, 0, false", // answers to questions not on the paper count for nothing
    })
    void scoresAPaper(String chosen, boolean partial, int score, int correct, boolean passed) {
        Grader.Grade grade = Grader.grade(PAPER, KEY, answers(chosen), 60, partial);
        assertEquals(new Grader.Grade(score, correct, 3, passed), grade);
    }

    @ParameterizedTest(name = "score 67 with passScore {0} → passed {1}")
    @CsvSource({"66, true", "67, true", "68, false", "0, true"})
    void passingIsAtOrAbovePassScore(int passScore, boolean passed) {
        assertEquals(
                passed,
                Grader.grade(PAPER, KEY, answers("single=B;tf=D"), passScore, false)
                        .passed());
    }

    @ParameterizedTest(name = "no answers at all (null) → 0")
    @CsvSource({"0"})
    void missingAnswersScoreZero(int expected) {
        assertEquals(expected, Grader.grade(PAPER, KEY, null, 60, false).score());
        assertEquals(0, Grader.grade(List.of(), KEY, null, 60, false).score(), "an empty paper");
    }
}

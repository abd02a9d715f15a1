package org.phocap.quiz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phocap.course.CoursePackage;

/** Drawing a paper alone: no application, no database. */
class PaperTest {
    static final List<CoursePackage.Question> BANK = IntStream.rangeClosed(1, 8)
            .mapToObj(i -> i % 4 == 0
                    ? new CoursePackage.Question(
                            "Q" + i,
                            "true or false " + i,
                            "TRUE_FALSE",
                            List.of(
                                    new CoursePackage.Option("D", "Đúng", true),
                                    new CoursePackage.Option("S", "Sai", false)),
                            null)
                    : new CoursePackage.Question(
                            "Q" + i,
                            "question " + i,
                            i % 2 == 0 ? "MULTIPLE" : "SINGLE",
                            List.of(
                                    new CoursePackage.Option("A", "a", true),
                                    new CoursePackage.Option("B", "b", false),
                                    new CoursePackage.Option("C", "c", i % 2 == 0),
                                    new CoursePackage.Option("D", "d", false)),
                            "because " + i))
            .toList();

    @ParameterizedTest(name = "{0} of a bank of 8 → {1} questions")
    @CsvSource({"1, 1", "5, 5", "8, 8", "20, 8"})
    void drawsAsManyQuestionsAsAskedAtMostTheBank(int count, int expected) {
        Paper paper = Paper.draw(BANK, count, 42);
        assertEquals(expected, paper.questions().size());
        assertEquals(
                expected,
                new HashSet<>(paper.questions().stream().map(Paper.Question::id).toList()).size());
        assertEquals(expected, paper.key().size(), "a key for every question on the paper, none other");
    }

    @Test
    void theSameSeedDrawsTheSamePaperAndAnotherSeedAnother() {
        assertEquals(Paper.draw(BANK, 5, 7), Paper.draw(BANK, 5, 7));
        Set<List<String>> orders = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            orders.add(Paper.draw(BANK, 5, seed).questions().stream()
                    .map(Paper.Question::id)
                    .toList());
        }
        assertTrue(orders.size() > 10, "papers vary with the seed: " + orders.size() + " of 20 distinct");
    }

    @Test
    void theKeyHoldsTheCorrectOptionsSortedAndTrueFalseKeepsItsOrder() {
        Paper paper = Paper.draw(BANK, 8, 3);
        assertEquals(List.of("A"), paper.key().get("Q1"));
        assertEquals(List.of("A", "C"), paper.key().get("Q2"));
        assertEquals(List.of("D"), paper.key().get("Q4"));
        List<String> shuffled = new ArrayList<>();
        for (Paper.Question q : paper.questions()) {
            List<String> keys = q.options().stream().map(Paper.Option::key).toList();
            if (q.kind().equals("TRUE_FALSE")) {
                assertEquals(List.of("D", "S"), keys, "Đúng before Sai, always");
            } else {
                assertEquals(Set.of("A", "B", "C", "D"), new HashSet<>(keys));
                shuffled.add(String.join("", keys));
            }
        }
        assertNotEquals(Set.of("ABCD"), new HashSet<>(shuffled), "options are shuffled");
        assertEquals("because 1", paper.explanations().get("Q1"));
        assertTrue(!paper.explanations().containsKey("Q4"), "no explanation, no entry");
    }
}

package org.phocap.quiz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.phocap.course.CoursePackage;

/**
 * One attempt's paper: {@code questionsPerAttempt} questions drawn from the bank and their options
 * shuffled, both by a random seed chosen per attempt. The paper (what the learner sees) and the key
 * (question id → correct option keys) are stored with the attempt, so a reload shows the same
 * paper and grading never reads the bank.
 */
record Paper(List<Question> questions, Map<String, List<String>> key, Map<String, String> explanations) {

    /** A question as the learner sees it: never which option is correct. */
    record Question(String id, String text, String kind, List<Option> options) {}

    record Option(String key, String text) {}

    static Paper draw(List<CoursePackage.Question> bank, int count, long seed) {
        Random random = new Random(seed);
        List<CoursePackage.Question> pool = new ArrayList<>(bank);
        Collections.shuffle(pool, random);
        List<Question> questions = new ArrayList<>();
        Map<String, List<String>> key = new TreeMap<>();
        Map<String, String> explanations = new TreeMap<>();
        for (CoursePackage.Question q : pool.subList(0, Math.min(count, pool.size()))) {
            List<CoursePackage.Option> options = new ArrayList<>(q.options());
            if (!"TRUE_FALSE".equals(q.kind())) {
                Collections.shuffle(options, random);
            }
            questions.add(new Question(
                    q.code(),
                    q.text(),
                    q.kind(),
                    options.stream().map(o -> new Option(o.key(), o.text())).toList()));
            key.put(
                    q.code(),
                    q.options().stream()
                            .filter(CoursePackage.Option::correct)
                            .map(CoursePackage.Option::key)
                            .sorted()
                            .toList());
            if (q.explanation() != null) {
                explanations.put(q.code(), q.explanation());
            }
        }
        return new Paper(questions, key, explanations);
    }
}

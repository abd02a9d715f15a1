package org.phocap.quiz;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores answers against an attempt's key. SINGLE and TRUE_FALSE: right when the one chosen key
 * is the correct one. MULTIPLE: all-or-nothing by default (exactly the correct set); with partial
 * credit, (right choices − wrong choices) / correct options, never below zero. An unanswered
 * question scores zero. The score is a percentage of the paper.
 */
final class Grader {
    private Grader() {}

    record Grade(int score, int correct, int total, boolean passed) {}

    static Grade grade(
            List<Paper.Question> paper,
            Map<String, List<String>> key,
            Map<String, List<String>> answers,
            int passScore,
            boolean partialCredit) {
        double points = 0;
        int correct = 0;
        for (Paper.Question q : paper) {
            Set<String> right = new HashSet<>(key.getOrDefault(q.id(), List.of()));
            Set<String> chosen = new HashSet<>(answers == null ? List.of() : answers.getOrDefault(q.id(), List.of()));
            if (chosen.equals(right) && !right.isEmpty()) {
                points += 1;
                correct++;
            } else if (partialCredit && "MULTIPLE".equals(q.kind()) && !right.isEmpty()) {
                long hits = chosen.stream().filter(right::contains).count();
                long misses = chosen.size() - hits;
                points += Math.max(0, (double) (hits - misses) / right.size());
            }
        }
        int total = paper.size();
        int score = total == 0 ? 0 : (int) Math.round(100 * points / total);
        return new Grade(score, correct, total, score >= passScore);
    }
}

package org.phocap.course;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.phocap.platform.Problem;
import org.phocap.platform.ProblemException;

/**
 * Checks across fields that annotations cannot express; every problem names the path of the
 * field at fault, e.g. {@code modules[1].lessons[0].code}.
 */
final class PackageRules {
    private PackageRules() {}

    static void check(CoursePackage pkg) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Set<String> modules = new HashSet<>();
        Set<String> lessons = new HashSet<>();
        for (int m = 0; m < pkg.modules().size(); m++) {
            CoursePackage.Module module = pkg.modules().get(m);
            if (!modules.add(module.code())) {
                errors.add(error("modules[" + m + "].code", "module code '" + module.code() + "' is used twice"));
            }
            for (int l = 0; l < module.lessons().size(); l++) {
                CoursePackage.Lesson lesson = module.lessons().get(l);
                String at = "modules[" + m + "].lessons[" + l + "]";
                if (!lessons.add(lesson.code())) {
                    errors.add(error(at + ".code", "lesson code '" + lesson.code() + "' is used twice in the course"));
                }
                if ("READING".equals(lesson.kind())
                        && (lesson.body() == null || lesson.body().isBlank())) {
                    errors.add(error(at + ".body", "a READING lesson needs a body"));
                }
            }
        }
        Set<String> quizzes = new HashSet<>();
        List<CoursePackage.Quiz> quizList = pkg.quizzes() == null ? List.of() : pkg.quizzes();
        for (int q = 0; q < quizList.size(); q++) {
            CoursePackage.Quiz quiz = quizList.get(q);
            String at = "quizzes[" + q + "]";
            if (!quizzes.add(quiz.code())) {
                errors.add(error(at + ".code", "quiz code '" + quiz.code() + "' is used twice"));
            }
            if (quiz.questionsPerAttempt() > quiz.questions().size()) {
                errors.add(error(
                        at + ".questionsPerAttempt",
                        "more than the " + quiz.questions().size() + " questions in the bank"));
            }
            Set<String> questionCodes = new HashSet<>();
            for (int i = 0; i < quiz.questions().size(); i++) {
                checkQuestion(quiz.questions().get(i), at + ".questions[" + i + "]", questionCodes, errors);
            }
        }
        if (pkg.completion() != null && pkg.completion().quizzes() != null) {
            for (int i = 0; i < pkg.completion().quizzes().size(); i++) {
                String code = pkg.completion().quizzes().get(i);
                if (!quizzes.contains(code)) {
                    errors.add(error("completion.quizzes[" + i + "]", "no quiz '" + code + "' in this package"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(
                    400,
                    "validation",
                    "Invalid course package",
                    "The package was refused; nothing changed. " + errors.size() + " problem(s) listed.",
                    errors);
        }
    }

    private static void checkQuestion(
            CoursePackage.Question question, String at, Set<String> codes, List<Problem.FieldError> errors) {
        if (!codes.add(question.code())) {
            errors.add(error(at + ".code", "question code '" + question.code() + "' is used twice in this quiz"));
        }
        Set<String> keys = new HashSet<>();
        int correct = 0;
        for (int o = 0; o < question.options().size(); o++) {
            CoursePackage.Option option = question.options().get(o);
            if (!keys.add(option.key())) {
                errors.add(error(at + ".options[" + o + "].key", "option key '" + option.key() + "' is used twice"));
            }
            if (Boolean.TRUE.equals(option.correct())) {
                correct++;
            }
        }
        boolean singleAnswer = !"MULTIPLE".equals(question.kind());
        if (correct == 0 || (singleAnswer && correct != 1)) {
            errors.add(error(
                    at + ".options",
                    singleAnswer ? "exactly one option must be correct" : "at least one option must be correct"));
        }
        if ("TRUE_FALSE".equals(question.kind()) && question.options().size() != 2) {
            errors.add(error(at + ".options", "a TRUE_FALSE question has exactly two options"));
        }
    }

    private static Problem.FieldError error(String field, String message) {
        return new Problem.FieldError(field, message);
    }
}

package org.phocap.course;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phocap.platform.Problem;
import org.phocap.platform.ProblemException;

/** The checks across a package's fields alone: each mistake named by the path of the field at fault. */
class PackageRulesTest {
    static CoursePackage.Option option(String key, boolean correct) {
        return new CoursePackage.Option(key, "text " + key, correct);
    }

    static CoursePackage.Question question(String code, String kind, CoursePackage.Option... options) {
        return new CoursePackage.Question(code, "?", kind, List.of(options), null);
    }

    static CoursePackage.Lesson lesson(String code, String kind, String body) {
        return new CoursePackage.Lesson(code, "title", kind, 60, body, null, null);
    }

    static CoursePackage.Quiz quiz(String code, int perAttempt, CoursePackage.Question... questions) {
        return new CoursePackage.Quiz(code, "quiz", perAttempt, 600, 3, 60, List.of(questions), false, null, null);
    }

    static CoursePackage valid() {
        return new CoursePackage(
                "C1",
                "course",
                "vi",
                List.of(
                        new CoursePackage.Module(
                                "M1", "m1", List.of(lesson("L1", "VIDEO", null), lesson("L2", "READING", "text"))),
                        new CoursePackage.Module("M2", "m2", List.of(lesson("L3", "DOCUMENT", null)))),
                List.of(quiz(
                        "Q1",
                        2,
                        question("a", "SINGLE", option("A", true), option("B", false)),
                        question("b", "MULTIPLE", option("A", true), option("B", true), option("C", false)),
                        question("c", "TRUE_FALSE", option("D", false), option("S", true)))),
                new CoursePackage.Completion("ALL", List.of("Q1")));
    }

    static CoursePackage withModules(CoursePackage p, List<CoursePackage.Module> modules) {
        return new CoursePackage(p.code(), p.title(), p.language(), modules, p.quizzes(), p.completion());
    }

    static CoursePackage withQuiz(CoursePackage p, CoursePackage.Quiz... quizzes) {
        return new CoursePackage(p.code(), p.title(), p.language(), p.modules(), List.of(quizzes), p.completion());
    }

    static Stream<Arguments> mistakes() {
        CoursePackage.Question ok = question("a", "SINGLE", option("A", true), option("B", false));
        return Stream.of(
                Arguments.of(
                        "a module code twice",
                        (UnaryOperator<CoursePackage>) p -> withModules(
                                p,
                                List.of(
                                        p.modules().get(0),
                                        new CoursePackage.Module("M1", "again", List.of(lesson("L9", "VIDEO", null))))),
                        "modules[1].code"),
                Arguments.of(
                        "a lesson code twice across modules",
                        (UnaryOperator<CoursePackage>) p -> withModules(
                                p,
                                List.of(
                                        p.modules().get(0),
                                        new CoursePackage.Module("M2", "m2", List.of(lesson("L1", "VIDEO", null))))),
                        "modules[1].lessons[0].code"),
                Arguments.of(
                        "a reading lesson without a body",
                        (UnaryOperator<CoursePackage>) p -> withModules(
                                p,
                                List.of(new CoursePackage.Module("M1", "m1", List.of(lesson("L1", "READING", "  "))))),
                        "modules[0].lessons[0].body"),
                Arguments.of(
                        "more questions per attempt than the bank",
                        (UnaryOperator<CoursePackage>) p -> withQuiz(p, quiz("Q1", 2, ok)),
                        "quizzes[0].questionsPerAttempt"),
                Arguments.of(
                        "a quiz code twice",
                        (UnaryOperator<CoursePackage>) p -> withQuiz(p, quiz("Q1", 1, ok), quiz("Q1", 1, ok)),
                        "quizzes[1].code"),
                Arguments.of(
                        "a question code twice in a quiz",
                        (UnaryOperator<CoursePackage>) p -> withQuiz(p, quiz("Q1", 1, ok, ok)),
                        "quizzes[0].questions[1].code"),
                Arguments.of(
                        "an option key twice",
                        (UnaryOperator<CoursePackage>) p -> withQuiz(
                                p, quiz("Q1", 1, question("a", "SINGLE", option("A", true), option("A", false)))),
                        "quizzes[0].questions[0].options[1].key"),
                Arguments.of(
                        "a single answer with two correct options",
                        (UnaryOperator<CoursePackage>) p -> withQuiz(
                                p, quiz("Q1", 1, question("a", "SINGLE", option("A", true), option("B", true)))),
                        "quizzes[0].questions[0].options"),
                Arguments.of(
                        "a multiple answer with none correct",
                        (UnaryOperator<CoursePackage>) p -> withQuiz(
                                p, quiz("Q1", 1, question("a", "MULTIPLE", option("A", false), option("B", false)))),
                        "quizzes[0].questions[0].options"),
                Arguments.of(
                        "a true/false question with three options",
                        (UnaryOperator<CoursePackage>) p -> withQuiz(
                                p,
                                quiz(
                                        "Q1",
                                        1,
                                        question(
                                                "a",
                                                "TRUE_FALSE",
                                                option("D", true),
                                                option("S", false),
                                                option("X", false)))),
                        "quizzes[0].questions[0].options"),
                Arguments.of(
                        "completion naming a quiz the package lacks",
                        (UnaryOperator<CoursePackage>) p -> new CoursePackage(
                                p.code(),
                                p.title(),
                                p.language(),
                                p.modules(),
                                p.quizzes(),
                                new CoursePackage.Completion("ALL", List.of("Q1", "Q9"))),
                        "completion.quizzes[1]"));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @MethodSource("mistakes")
    void eachMistakeIsNamedByItsField(String what, UnaryOperator<CoursePackage> change, String field) {
        ProblemException refused =
                assertThrows(ProblemException.class, () -> PackageRules.check(change.apply(valid())));
        Problem problem = refused.toProblem();
        assertEquals(400, problem.status());
        assertEquals(
                List.of(field),
                problem.errors().stream().map(Problem.FieldError::field).toList(),
                what);
    }

    @Test
    void aValidPackagePassesAndEveryMistakeIsListedAtOnce() {
        assertDoesNotThrow(() -> PackageRules.check(valid()));
        List<CoursePackage.Module> modules = new ArrayList<>(valid().modules());
        modules.add(new CoursePackage.Module("M1", "again", List.of(lesson("L1", "READING", null))));
        ProblemException refused =
                assertThrows(ProblemException.class, () -> PackageRules.check(withModules(valid(), modules)));
        assertEquals(
                List.of("modules[2].code", "modules[2].lessons[0].code", "modules[2].lessons[0].body"),
                refused.toProblem().errors().stream()
                        .map(Problem.FieldError::field)
                        .toList());
    }
}

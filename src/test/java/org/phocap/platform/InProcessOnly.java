package org.phocap.platform;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A REST test that also reaches into the running application (its clock, a bean, its metrics
 * registry): it runs in-process ({@code @QuarkusTest}) and is skipped when an {@code *IT} subclass
 * re-runs the class against the packaged application, where there is nothing to inject. The
 * reason says what it reaches for.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(InProcessOnly.Condition.class)
public @interface InProcessOnly {
    /** What the test needs from inside the application. */
    String value();

    class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            boolean packaged = context.getTestClass()
                    .map(c -> c.isAnnotationPresent(QuarkusIntegrationTest.class))
                    .orElse(false);
            return packaged
                    ? ConditionEvaluationResult.disabled("in-process only: "
                            + context.getRequiredTestMethod()
                                    .getAnnotation(InProcessOnly.class)
                                    .value())
                    : ConditionEvaluationResult.enabled("in-process");
        }
    }
}

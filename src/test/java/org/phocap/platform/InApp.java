package org.phocap.platform;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;

/**
 * A bean of the application under test, for the tests that reach into it (its clock, its pool, a
 * service). {@code @QuarkusIntegrationTest} refuses {@code @Inject} in a test class, so the REST
 * tests that an {@code *IT} re-runs take their beans from here: in-process they get the bean, against
 * the packaged jar they get null, and the tests that need one are {@link InProcessOnly}.
 */
public final class InApp {
    private InApp() {}

    public static <T> T bean(Class<T> type) {
        ArcContainer container = Arc.container();
        return container == null ? null : container.instance(type).get();
    }
}

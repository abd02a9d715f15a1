package org.phocap.learning;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LessonStreamRouteTest {
    @Test
    void anEventStreamIsAcceptableAsProducesNegotiatedIt() {
        assertTrue(LessonStreamRoute.acceptsEventStream(null));
        assertTrue(LessonStreamRoute.acceptsEventStream(""));
        assertTrue(LessonStreamRoute.acceptsEventStream("text/event-stream"));
        assertTrue(LessonStreamRoute.acceptsEventStream("Text/Event-Stream;charset=utf-8"));
        assertTrue(LessonStreamRoute.acceptsEventStream("application/json, */*;q=0.1"));
        assertTrue(LessonStreamRoute.acceptsEventStream("text/*"));
        assertFalse(LessonStreamRoute.acceptsEventStream("application/json"));
        assertFalse(LessonStreamRoute.acceptsEventStream("text/html, application/xml"));
    }
}

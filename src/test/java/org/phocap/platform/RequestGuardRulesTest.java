package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The guard's pure rules: control characters in a URI (raw or percent-encoded), JSON media types. */
class RequestGuardRulesTest {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "/api/v1/campaigns?page=1, false",
        "/api/v1/learners?name=Nguy%E1%BB%85n, false",
        "/verify/VP-2026-000001-H?c=62209E0F, false",
        "/a%20b, false",
        "/a%2Fb, false",
        "/a%, false",
        "/a%0, false",
        "/a%7E, false",
        "/a%00, true",
        "/a%0a, true",
        "/a?x=%0D%0A, true",
        "/a%1F, true",
        "/a%7f, true",
        "/a%7F, true"
    })
    void controlCharactersAreFoundRawOrEncoded(String uri, boolean control) {
        assertEquals(control, RequestGuard.hasControl(uri));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "application/json, true",
        "application/json; charset=UTF-8, true",
        "Application/JSON, true",
        "application/merge-patch+json, true",
        "text/csv, false",
        "application/zip, false",
        "text/json, false"
    })
    void jsonIsApplicationJsonOrAPlusJsonType(String type, boolean json) {
        assertEquals(json, RequestGuard.isJson(type));
    }
}

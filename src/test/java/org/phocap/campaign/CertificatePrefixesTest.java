package org.phocap.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Default certificate prefixes alone. */
class CertificatePrefixesTest {
    @Test
    void defaultPrefixesAreTheInitialsWithoutTheAdministrativeWord() {
        assertEquals("VP", CertificatePrefixes.defaultPrefix("Tỉnh Vĩnh Phúc"));
        assertEquals("HN", CertificatePrefixes.defaultPrefix("Thành phố Hà Nội"));
        assertEquals("DT", CertificatePrefixes.defaultPrefix("Xã Đồng Tâm"));
        assertEquals("PC", CertificatePrefixes.defaultPrefix("Tỉnh"));
        assertEquals("HUE", CertificatePrefixes.defaultPrefix("Thành phố Huế"));
        assertEquals("10", CertificatePrefixes.defaultPrefix("Quận 10"));
    }
}

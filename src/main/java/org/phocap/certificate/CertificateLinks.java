package org.phocap.certificate;

import jakarta.enterprise.context.ApplicationScoped;

/** Where a certificate can be fetched and checked; the public base URL is the one printed in QR codes. */
@ApplicationScoped
public class CertificateLinks {
    private final String publicBase;

    public CertificateLinks(CertificateConfig certificateConfig) {
        String publicBase = certificateConfig.publicBaseUrl();
        this.publicBase = publicBase.endsWith("/") ? publicBase.substring(0, publicBase.length() - 1) : publicBase;
    }

    /** The link printed on the certificate: the serial and its verification code, which unlocks the holder's details. */
    public String verifyUrl(Certificate c) {
        return publicBase + "/verify/" + c.serial() + "?c=" + c.verificationCode();
    }

    public static String pdfPath(String serial) {
        return "/api/v1/certificates/" + serial + ".pdf";
    }
}

package org.phocap.auth;

/** The answer to login, activation and refresh. */
public record TokenPair(String accessToken, String refreshToken, long expiresIn, String role) {}

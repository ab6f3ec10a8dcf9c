package io.fleethealth.processor.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/** Checks an {@code Authorization: Bearer <token>} header without leaking the token through timing. */
final class AdminToken {

    private static final String SCHEME = "bearer ";

    private final byte[] expectedDigest;

    AdminToken(String token) {
        this.expectedDigest = sha256(token);
    }

    boolean accepts(Optional<String> authorizationHeader) {
        Optional<String> presented = authorizationHeader
                .filter(h -> h.length() > SCHEME.length() && h.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME))
                .map(h -> h.substring(SCHEME.length()).trim());
        // Comparing digests makes the comparison time independent of both the content and the length.
        return presented.isPresent() && MessageDigest.isEqual(expectedDigest, sha256(presented.get()));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}

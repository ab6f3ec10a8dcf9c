package io.fleethealth.serde;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How the registry client proves who it is and whom it trusts: the Authorization header (basic or bearer) and the
 * TLS context for https. {@link #toString()} never shows the header.
 *
 * @param authorization the whole Authorization header value, e.g. {@code Basic dXNlcjpwYXNz}
 * @param sslContext    trust for https (the JVM's default when empty)
 */
public record RegistryAccess(Optional<String> authorization, Optional<SSLContext> sslContext) {

    public static final RegistryAccess NONE = new RegistryAccess(Optional.empty(), Optional.empty());

    public RegistryAccess {
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(sslContext, "sslContext");
    }

    /** {@code Basic base64(user:password)}, as HTTP basic auth and Confluent's USER_INFO source. */
    public static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    @Override
    public String toString() {
        return "RegistryAccess[authorization=" + authorization.map(a -> a.substring(0, a.indexOf(' ')) + " (hidden)")
                .orElse("(none)") + ", tls=" + (sslContext.isPresent() ? "custom trust store" : "JVM default") + "]";
    }
}

package io.fleethealth.processor.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where alerts from fleet.alerts are posted and how hard the forwarder tries.
 *
 * @param url an Alertmanager base URL ({@code /api/v2/alerts} is appended) or the webhook URL itself
 * @param mode the payload shape
 * @param maxAttempts attempts per POST, the first one included; after the last the alert feed tries again later
 * @param initialBackoff pause after the first failed attempt; doubles per attempt up to {@code maxBackoff}
 * @param requestTimeout how long one POST may take
 */
public record AlertForwarderSettings(
        URI url, Mode mode, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
        Duration requestTimeout) {

    public static final String WEBHOOK_URL = "ALERT_WEBHOOK_URL";
    public static final String WEBHOOK_MODE = "ALERT_WEBHOOK_MODE";

    /** Alertmanager's v2 API, or a plain webhook receiving one alert per POST. */
    public enum Mode {
        ALERTMANAGER, WEBHOOK
    }

    public AlertForwarderSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException(WEBHOOK_URL + "='" + url + "' is not valid: expected an http(s) URL with a host");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff, got " + initialBackoff + " and " + maxBackoff);
        }
    }

    /** Defaults: 6 attempts, back-off 500 ms doubling up to 30 s, 10 s per request. */
    public static AlertForwarderSettings of(URI url, Mode mode) {
        return new AlertForwarderSettings(url, mode, 6, Duration.ofMillis(500), Duration.ofSeconds(30),
                Duration.ofSeconds(10));
    }

    /** The forwarder's settings from {@code ALERT_WEBHOOK_URL} and {@code ALERT_WEBHOOK_MODE}; empty when no URL is set. */
    public static Optional<AlertForwarderSettings> fromEnvironment(Map<String, String> env) {
        String rawUrl = env.getOrDefault(WEBHOOK_URL, "").trim();
        if (rawUrl.isEmpty()) {
            return Optional.empty();
        }
        String rawMode = env.getOrDefault(WEBHOOK_MODE, "alertmanager").trim();
        Mode mode;
        try {
            mode = Mode.valueOf(rawMode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(WEBHOOK_MODE + "='" + rawMode + "' is not valid: expected alertmanager or webhook", e);
        }
        try {
            return Optional.of(of(new URI(rawUrl), mode));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(WEBHOOK_URL + "='" + rawUrl + "' is not valid: " + e.getMessage(), e);
        }
    }

    /** Where the POSTs go. */
    URI target() {
        if (mode == Mode.WEBHOOK) {
            return url;
        }
        String base = url.toString().replaceAll("/+$", "");
        return base.endsWith("/api/v2/alerts") ? URI.create(base) : URI.create(base + "/api/v2/alerts");
    }
}

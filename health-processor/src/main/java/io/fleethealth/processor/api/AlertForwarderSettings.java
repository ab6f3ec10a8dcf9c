package io.fleethealth.processor.api;

import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.Settings;
import io.fleethealth.contract.settings.ValueParser;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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

    /** A secret: a webhook URL often carries its credential in the path or query, so only its origin is shown. */
    public static final Setting<Optional<URI>> WEBHOOK_URL = Setting.secret("ALERT_WEBHOOK_URL",
            "forward alerts to this Alertmanager (/api/v2/alerts is appended) or webhook; unset = no forwarding",
            "(not set)", ValueParser.httpUrl());
    public static final Setting<String> WEBHOOK_MODE = Setting.of("ALERT_WEBHOOK_MODE",
            "payload of the forwarded alerts: Alertmanager's v2 API, or one alert per POST to a plain webhook",
            "alertmanager", ValueParser.oneOf(List.of("alertmanager", "webhook")));

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
            throw new IllegalArgumentException("not an http(s) URL with a host: " + ValueParser.Masking.originOnly(url));
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

    /** The forwarder's settings from settings already validated; empty when no URL is set. */
    public static Optional<AlertForwarderSettings> from(Settings settings) {
        Mode mode = Mode.valueOf(settings.get(WEBHOOK_MODE).toUpperCase(Locale.ROOT));
        return settings.get(WEBHOOK_URL).map(url -> of(url, mode));
    }

    /** Where the POSTs go. */
    URI target() {
        if (mode == Mode.WEBHOOK) {
            return url;
        }
        String base = url.toString().replaceAll("/+$", "");
        return base.endsWith("/api/v2/alerts") ? URI.create(base) : URI.create(base + "/api/v2/alerts");
    }

    /** Never prints the URL's path or query: they may hold a credential. */
    @Override
    public String toString() {
        return "AlertForwarderSettings[url=" + ValueParser.Masking.originOnly(url) + ", mode=" + mode
                + ", maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff
                + ", requestTimeout=" + requestTimeout + "]";
    }
}

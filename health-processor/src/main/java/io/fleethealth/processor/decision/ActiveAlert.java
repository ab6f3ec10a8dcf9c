package io.fleethealth.processor.decision;

import java.time.Instant;
import java.util.Objects;

/**
 * An alert this session has fired and not resolved yet; kept in the state so that the resolution
 * carries the same fingerprint and start time, and so that pausing can re-annotate it.
 *
 * @param kind        which condition
 * @param hostId      host the alert is about (host-scoped alerts are keyed by it)
 * @param startsAt    when the condition began
 * @param summary     one-line summary
 * @param description details
 */
public record ActiveAlert(AlertKind kind, String hostId, Instant startsAt, String summary, String description) {

    public ActiveAlert {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(description, "description");
    }
}

package io.fleethealth.processor.api;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.HealthAlert;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON bodies the forwarder posts, as plain maps for Jackson. */
final class AlertPayloads {

    private AlertPayloads() {
    }

    /**
     * Alertmanager v2 {@code postableAlert}s. A firing alert carries no endsAt (Alertmanager then keeps it until
     * its resolve timeout unless re-sent); a resolved one carries when it ended, now if the record lacks it.
     */
    static List<Map<String, Object>> alertmanager(List<HealthAlert> alerts, Clock clock) {
        return alerts.stream().map(alert -> {
            Map<String, Object> postable = new LinkedHashMap<>();
            postable.put("labels", alert.getLabels());
            postable.put("annotations", alert.getAnnotations());
            postable.put("startsAt", alert.getStartsAt());
            if (alert.getStatus() == AlertStatus.RESOLVED) {
                postable.put("endsAt", endOf(alert, clock));
            }
            if (alert.getGeneratorUrl() != null) {
                postable.put("generatorURL", alert.getGeneratorUrl());
            }
            return postable;
        }).toList();
    }

    /** One alert for a plain webhook: the Alertmanager fields plus its status ("firing"/"resolved") and fingerprint. */
    static Map<String, Object> webhook(HealthAlert alert, Clock clock) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fingerprint", alert.getFingerprint());
        body.put("status", alert.getStatus().name().toLowerCase(java.util.Locale.ROOT));
        body.put("labels", alert.getLabels());
        body.put("annotations", alert.getAnnotations());
        body.put("startsAt", alert.getStartsAt());
        body.put("endsAt", alert.getStatus() == AlertStatus.RESOLVED ? endOf(alert, clock) : null);
        body.put("generatorURL", alert.getGeneratorUrl());
        return body;
    }

    private static Instant endOf(HealthAlert alert, Clock clock) {
        return alert.getEndsAt() != null ? alert.getEndsAt() : clock.instant();
    }
}

package io.fleethealth.processor.api;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.HealthAlert;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON bodies the forwarder posts, as plain maps for Jackson. */
final class AlertPayloads {

    private AlertPayloads() {
    }

    /**
     * Alertmanager v2 {@code postableAlert}s. A firing alert carries no endsAt: Alertmanager then keeps it
     * for its resolve timeout, and the processor re-sends it well within that while it stays active. A
     * resolved one carries when it ended, now if the record lacks it.
     */
    static List<Map<String, Object>> alertmanager(List<HealthAlert> alerts, AlertLinks links, Clock clock) {
        return alerts.stream().map(alert -> {
            Map<String, Object> postable = new LinkedHashMap<>();
            postable.put("labels", alert.getLabels());
            postable.put("annotations", annotations(alert, links));
            postable.put("startsAt", alert.getStartsAt());
            if (alert.getStatus() == AlertStatus.RESOLVED) {
                postable.put("endsAt", endOf(alert, clock));
            }
            postable.put("generatorURL", generatorUrl(alert, links));
            return postable;
        }).toList();
    }

    /** One alert for a plain webhook: the Alertmanager fields plus its status ("firing"/"resolved") and fingerprint. */
    static Map<String, Object> webhook(HealthAlert alert, AlertLinks links, Clock clock) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fingerprint", alert.getFingerprint());
        body.put("status", alert.getStatus().name().toLowerCase(java.util.Locale.ROOT));
        body.put("labels", alert.getLabels());
        body.put("annotations", annotations(alert, links));
        body.put("startsAt", alert.getStartsAt());
        body.put("endsAt", alert.getStatus() == AlertStatus.RESOLVED ? endOf(alert, clock) : null);
        body.put("generatorURL", generatorUrl(alert, links));
        return body;
    }

    private static Map<String, String> annotations(HealthAlert alert, AlertLinks links) {
        Map<String, String> annotations = new TreeMap<>(alert.getAnnotations());
        links.runbookUrl(alert).ifPresent(url -> annotations.put(AlertLinks.RUNBOOK_URL, url));
        return annotations;
    }

    private static String generatorUrl(HealthAlert alert, AlertLinks links) {
        return alert.getGeneratorUrl() != null ? alert.getGeneratorUrl() : links.generatorUrl(alert);
    }

    private static Instant endOf(HealthAlert alert, Clock clock) {
        return alert.getEndsAt() != null ? alert.getEndsAt() : clock.instant();
    }
}

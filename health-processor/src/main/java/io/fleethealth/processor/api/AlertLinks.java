package io.fleethealth.processor.api;

import io.fleethealth.events.HealthAlert;
import io.fleethealth.processor.decision.AlertKind;
import io.fleethealth.processor.decision.Alerts;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The absolute links an alert carries to a pager: {@code generatorURL} to the session's (or host's) page on
 * the dashboard, {@code runbook_url} to the alert's section of the runbook. Added when the alert is sent,
 * so the records on fleet.alerts do not depend on where the dashboard or the runbook are published.
 *
 * @param dashboard the dashboard's public URL (PROCESSOR_PUBLIC_URL)
 * @param runbook   the runbook's URL (ALERT_RUNBOOK_URL); empty = no runbook_url
 */
public record AlertLinks(URI dashboard, Optional<URI> runbook) {

    public static final String RUNBOOK_URL = "runbook_url";

    public AlertLinks {
        Objects.requireNonNull(dashboard, "dashboard");
        Objects.requireNonNull(runbook, "runbook");
    }

    /** The dashboard page of the alert's session, or of its host for a host alert. */
    public String generatorUrl(HealthAlert alert) {
        String base = dashboard.toString().replaceAll("/+$", "") + "/#";
        String session = alert.getLabels().get(Alerts.SESSION_ID);
        if (session != null && !session.isEmpty()) {
            return base + "session=" + encode(session);
        }
        return base + "host=" + encode(alert.getLabels().getOrDefault(Alerts.HOST_ID, ""));
    }

    /** The runbook section of the alert's kind; the runbook's top for an alert of another kind. */
    public Optional<String> runbookUrl(HealthAlert alert) {
        return runbook.map(url -> {
            String page = url.toString().replaceAll("#.*$", "");
            return AlertKind.byAlertName(alert.getLabels().get(Alerts.ALERTNAME))
                    .map(kind -> page + "#" + kind.runbookSection())
                    .orElse(page);
        });
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

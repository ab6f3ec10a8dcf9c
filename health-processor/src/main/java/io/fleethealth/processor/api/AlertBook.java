package io.fleethealth.processor.api;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.HealthAlert;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The alerts the dashboard shows, from fleet.alerts: what is active now (one entry per fingerprint) apart from
 * the history of changes. The topic carries every alert again at each re-send, the same host alert from each of
 * the host's sessions, and a resolution from each of them too; none of those is a change, so none makes a new
 * history entry. Thread-safe.
 */
public final class AlertBook {

    private static final Comparator<HealthAlert> MOST_URGENT_FIRST = Comparator
            .comparing((HealthAlert a) -> !"critical".equals(a.getLabels().get("severity")))
            .thenComparing(HealthAlert::getStartsAt, Comparator.reverseOrder())
            .thenComparing(HealthAlert::getFingerprint);

    private final int historyLimit;
    private final Map<String, HealthAlert> active = new LinkedHashMap<>();
    private final Deque<HealthAlert> history = new ArrayDeque<>();

    public AlertBook(int historyLimit) {
        if (historyLimit < 1) {
            throw new IllegalArgumentException("historyLimit must be at least 1, got " + historyLimit);
        }
        this.historyLimit = historyLimit;
    }

    /** Takes one alert from the topic; idempotent, so a re-read after a rewind changes nothing. */
    public synchronized void record(HealthAlert alert) {
        Objects.requireNonNull(alert, "alert");
        String fingerprint = alert.getFingerprint();
        if (alert.getStatus() == AlertStatus.FIRING) {
            HealthAlert before = active.put(fingerprint, alert);
            if (before == null || !before.getAnnotations().equals(alert.getAnnotations())
                    || !before.getStartsAt().equals(alert.getStartsAt())) {
                addToHistory(alert); // newly firing, or its description changed (another failed restart, a pause)
            }
            return;
        }
        HealthAlert ended = active.remove(fingerprint);
        if (ended != null || !alreadyResolvedInHistory(alert)) {
            addToHistory(alert);
        }
    }

    /** The alerts firing now, critical first, then the newest. */
    public synchronized List<AlertView> active() {
        return active.values().stream().sorted(MOST_URGENT_FIRST).map(AlertView::of).toList();
    }

    /** Changes, newest first: an alert fired, changed its description, or resolved. */
    public synchronized List<AlertView> history(int limit) {
        return history.stream().limit(limit).map(AlertView::of).toList();
    }

    private boolean alreadyResolvedInHistory(HealthAlert resolution) {
        for (HealthAlert entry : history) {
            if (entry.getFingerprint().equals(resolution.getFingerprint())) {
                return entry.getStatus() == AlertStatus.RESOLVED && entry.getStartsAt().equals(resolution.getStartsAt());
            }
        }
        return false;
    }

    private void addToHistory(HealthAlert alert) {
        history.addFirst(alert);
        while (history.size() > historyLimit) {
            history.removeLast();
        }
    }
}

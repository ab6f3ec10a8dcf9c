package io.fleethealth.processor.metrics;

import io.fleethealth.events.HealthStatus;
import java.util.Map;

/**
 * How many sessions an instance owns, by status, apart for those that opted out by label (shown, not managed).
 *
 * @param managed    sessions the decision may restart and alert on, per status (absent = none)
 * @param notManaged sessions labelled {@code fleet-health.enabled=false}, per status (absent = none)
 */
public record SessionCounts(Map<HealthStatus, Long> managed, Map<HealthStatus, Long> notManaged) {

    public SessionCounts {
        managed = Map.copyOf(managed);
        notManaged = Map.copyOf(notManaged);
    }

    public long count(HealthStatus status, boolean isManaged) {
        return (isManaged ? managed : notManaged).getOrDefault(status, 0L);
    }
}

package io.fleethealth.processor.brake;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One correlated failure of a group, as its alert shows it.
 *
 * @param id             deterministic: the group and the event time it opened, e.g. {@code image:web:2@1764561600000}
 * @param group          the group in trouble
 * @param since          event time of the failure start that crossed the threshold
 * @param failingSessions sessions whose failures started within the window when it opened
 * @param groupSessions  sessions in the group when it opened
 * @param samples        a few of the failing session ids, sorted
 */
public record Incident(String id, GroupKey group, Instant since, int failingSessions, int groupSessions,
                       List<String> samples) {

    public Incident {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(since, "since");
        samples = List.copyOf(samples);
    }

    static String idOf(GroupKey group, Instant since) {
        return group.id() + "@" + since.toEpochMilli();
    }
}

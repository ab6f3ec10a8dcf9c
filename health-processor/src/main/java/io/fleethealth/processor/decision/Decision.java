package io.fleethealth.processor.decision;

import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.SessionStatus;
import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The result of deciding one event: the session's new state and the records to produce, in order.
 *
 * @param state        the new state; null when the session ended (drop it from the store)
 * @param stateChanged whether the store must be written (or the key deleted when state is null)
 * @param emitted      records to produce, in order: commands, session status, alerts, audit
 * @param counters     facts for metrics
 */
public record Decision(SessionState state, boolean stateChanged, List<Emitted<?>> emitted,
                       Set<DecisionCounter> counters) {

    public Decision {
        emitted = List.copyOf(emitted);
        // An enum set: cheaper than Set.copyOf's hashed copy, and it iterates in declaration order.
        counters = counters.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(counters));
    }

    /** Nothing changes: the event was ignored; the counter says why. */
    static Decision unchanged(SessionState state, DecisionCounter counter) {
        return new Decision(state, false, List.of(), Set.of(counter));
    }

    /** The session ended: its status is tombstoned and its state must be deleted. */
    public boolean sessionEnded() {
        return state == null && stateChanged;
    }

    public boolean counted(DecisionCounter counter) {
        return counters.contains(counter);
    }

    /** The emitted records of one topic, in order. */
    @SuppressWarnings("unchecked")
    public <V> List<Emitted<V>> emitted(Topic<V> topic) {
        return emitted.stream().filter(e -> e.topic().equals(topic)).map(e -> (Emitted<V>) e).toList();
    }

    /** The non-null values emitted to one topic, in order. */
    public <V> List<V> values(Topic<V> topic) {
        return emitted(topic).stream().map(Emitted::value).filter(Objects::nonNull).toList();
    }

    public List<RestartCommand> commands() {
        return values(Topics.RESTART_COMMANDS);
    }

    /** Session-status values (a tombstone is not among them: see {@link #sessionEnded()}). */
    public List<SessionStatus> statuses() {
        return values(Topics.SESSION_STATUS);
    }

    public List<HealthAlert> alerts() {
        return values(Topics.ALERTS);
    }

    public List<AuditEvent> audits() {
        return values(Topics.AUDIT);
    }
}

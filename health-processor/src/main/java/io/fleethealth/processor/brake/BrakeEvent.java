package io.fleethealth.processor.brake;

import java.time.Instant;
import java.util.Objects;

/** What the brake decided, for alerts, the audit and the report; every event carries its event time. */
public sealed interface BrakeEvent {

    Instant at();

    /** A group crossed the threshold: one alert fires for it. */
    record IncidentOpened(Incident incident, Instant at) implements BrakeEvent {
    }

    /** How an incident ended. */
    enum CloseReason {
        /** The group stayed below the threshold for the close-after time. */
        RECOVERED,
        /** An operator released it. */
        RELEASED
    }

    /**
     * The incident is over; its alert resolves.
     *
     * @param operator who released it; empty when it recovered
     */
    record IncidentClosed(Incident incident, CloseReason reason, String operator, Instant at) implements BrakeEvent {
        public IncidentClosed {
            Objects.requireNonNull(operator, "operator");
        }
    }

    /** A restart the session's decision wanted is not issued while the incident is open. */
    record RestartHeld(String sessionId, String incidentId, Instant at) implements BrakeEvent {
    }

    /**
     * A restart may go out at {@code notBefore}: at once, or later when the budget is spent.
     *
     * @param incidentId the incident that held it until now; empty when it was never held
     */
    record RestartIssued(String sessionId, String incidentId, Instant notBefore, Instant at) implements BrakeEvent {
        public boolean released() {
            return !incidentId.isEmpty();
        }
    }

    /** A held restart is no longer wanted: the session recovered or ended while it was held. */
    record RestartWithdrawn(String sessionId, String incidentId, Instant at) implements BrakeEvent {
    }
}

package io.fleethealth.processor.decision;

import java.util.Objects;

/**
 * The per-session decision: (state, event) -> (new state, records to emit). Pure: no Kafka, no Docker,
 * no clock; time comes from the events (a check may carry the time it is processed, see
 * {@link SessionEvent.CheckReceived}). The same sequence of events always yields the same decisions,
 * which is what makes a replay of the history reproduce the live restart commands. Thread-safe.
 */
public final class SessionStateMachine {

    private final DecisionSettings settings;
    private final CheckDecider checks;
    private final OutcomeDecider outcomes;
    private final ControlDecider controls;
    private final SilenceDecider silence;

    public SessionStateMachine(DecisionSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.checks = new CheckDecider(settings);
        this.outcomes = new OutcomeDecider(settings);
        this.controls = new ControlDecider(settings);
        this.silence = new SilenceDecider(settings);
    }

    public DecisionSettings settings() {
        return settings;
    }

    /**
     * Decides one event.
     *
     * @param state the session's state, or null for a session without state (new, or ended)
     * @param event the event; its session id must be the state's
     * @return the new state (null = drop it) and the records to emit, in order
     */
    public Decision decide(SessionState state, SessionEvent event) {
        Objects.requireNonNull(event, "event");
        if (event instanceof SessionEvent.CheckReceived c) {
            requireSameSession(state, c.check().getSessionId());
            return checks.decide(state, c.check(), c.processedAt());
        }
        if (event instanceof SessionEvent.OutcomeReceived o) {
            requireSameSession(state, o.outcome().getSessionId());
            return outcomes.decide(state, o.outcome());
        }
        if (event instanceof SessionEvent.ControlReceived c) {
            requireSameSession(state, c.control().getSessionId());
            return controls.decide(state, c.control());
        }
        if (event instanceof SessionEvent.SilenceDetected s) {
            return silence.decide(state, s);
        }
        if (event instanceof SessionEvent.RestartHeld h) {
            requireSameSession(state, h.sessionId());
            return BrakeAnswers.held(settings, state, h);
        }
        if (event instanceof SessionEvent.RestartSent r) {
            requireSameSession(state, r.sessionId());
            return BrakeAnswers.sent(settings, state, r);
        }
        throw new IllegalArgumentException("Unknown event " + event.getClass().getName());
    }

    private static void requireSameSession(SessionState state, String sessionId) {
        if (state != null && !state.sessionId().equals(sessionId)) {
            throw new IllegalArgumentException("Event of session " + sessionId + " given the state of session "
                    + state.sessionId());
        }
    }
}

package io.fleethealth.processor.decision;

import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.SessionControl;
import java.time.Instant;
import java.util.Objects;

/** One input of the per-session decision. Each carries its own time: the decision never reads a clock. */
public sealed interface SessionEvent {

    /** The event time the decision uses for this event. */
    Instant time();

    /**
     * A probe result from the agent; time = its probe time.
     *
     * @param processedAt when the shell decides it (wall clock), or null for "on time" (a replay without
     *                    recorded processing times). Only used to withhold a restart whose command would
     *                    already have expired: a late check never burns an attempt.
     */
    record CheckReceived(HealthCheckResult check, Instant processedAt) implements SessionEvent {
        public CheckReceived {
            Objects.requireNonNull(check, "check");
        }

        /** A check decided as if on time. */
        public CheckReceived(HealthCheckResult check) {
            this(check, null);
        }

        @Override
        public Instant time() {
            return check.getProbeTime();
        }
    }

    /** What an agent did with a restart command; time = when it finished. */
    record OutcomeReceived(RestartOutcome outcome) implements SessionEvent {
        public OutcomeReceived {
            Objects.requireNonNull(outcome, "outcome");
        }

        @Override
        public Instant time() {
            return outcome.getExecutedAt();
        }
    }

    /** An operator's RESET, PAUSE or RESUME; time = when it was requested. */
    record ControlReceived(SessionControl control) implements SessionEvent {
        public ControlReceived {
            Objects.requireNonNull(control, "control");
        }

        @Override
        public Instant time() {
            return control.getRequestedAt();
        }
    }

    /**
     * The shell's wall-clock punctuator asks whether the session has gone silent. Never triggers a
     * restart; it only marks the session UNKNOWN and alerts.
     *
     * @param now        the punctuator's wall-clock time
     * @param hostSilent the session's host has stopped sending heartbeats: the host gets one alert of its
     *                   own, so this session does not raise one more
     */
    record SilenceDetected(Instant now, boolean hostSilent) implements SessionEvent {
        public SilenceDetected {
            Objects.requireNonNull(now, "now");
        }

        public SilenceDetected(Instant now) {
            this(now, false);
        }

        @Override
        public Instant time() {
            return now;
        }
    }

    /**
     * The restart brake held the session's restart command (an incident covers the session): the command
     * was not sent, so its attempt is pending without an expiry; time = the brake's time.
     */
    record RestartHeld(String sessionId, String commandId, String incidentId, Instant at) implements SessionEvent {
        public RestartHeld {
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public Instant time() {
            return at;
        }
    }

    /**
     * The restart brake sent the session's command to the agent (released after an incident, or delayed by
     * the budget): its window is [notBefore, expiresAt], and only from now can it expire or be lost.
     */
    record RestartSent(String sessionId, String commandId, Instant notBefore, Instant expiresAt, Instant at)
            implements SessionEvent {
        public RestartSent {
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(notBefore, "notBefore");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public Instant time() {
            return at;
        }
    }
}

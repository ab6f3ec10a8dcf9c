package io.fleethealth.processor.api;

/** Operator actions the HTTP API can request; implemented by producing a SessionControl to fleet.session.control. */
public interface SessionControls {

    /**
     * Asks the processor to revive a FAILED session. Returns once the control record is accepted by the
     * broker; throws if it could not be sent (the API answers 503).
     *
     * @param actor who asked, for the audit trail: {@code "api@<caller address>"}
     * @param reason the operator's words, or null
     */
    void reset(String sessionId, String actor, String reason);

    /** Asks the processor to withhold (paused = true) or allow again (false) the session's restarts. */
    void pause(String sessionId, boolean paused, String actor, String reason);
}

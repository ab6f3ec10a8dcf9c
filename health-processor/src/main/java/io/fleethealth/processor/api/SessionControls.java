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

    /**
     * Asks the restart brake to close the open incident of a group ({@code fleet}, {@code host:<id>},
     * {@code image:<image>}); its held restarts then go out within the budget. The brake audits the release
     * (INCIDENT_CLOSED with the actor); a group without an open incident is left alone. Returns once the
     * broker has the request.
     */
    default void releaseIncident(String group, String actor) {
        throw new UnsupportedOperationException("releasing incidents is not supported here");
    }

    /** Asks the processor to withhold (paused = true) or allow again (false) the session's restarts. */
    void pause(String sessionId, boolean paused, String actor, String reason);
}

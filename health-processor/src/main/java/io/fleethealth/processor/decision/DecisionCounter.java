package io.fleethealth.processor.decision;

/** Facts of one decision that the shell turns into metrics; each appears at most once per decision. */
public enum DecisionCounter {
    /** A check was processed (not a duplicate, not out of order). */
    CHECK_PROCESSED,
    /** A check id seen before: ignored. */
    IGNORED_DUPLICATE,
    /** A check older than the session's last processed check: ignored. */
    IGNORED_OUT_OF_ORDER,
    /** A failure that arrived while a restart was pending or in its grace: not counted. */
    FAILURE_NOT_COUNTED_RESTARTING,
    /** A failure counted toward the threshold. */
    FAILURE_COUNTED,
    /** A success counted toward recovery. */
    SUCCESS_COUNTED,
    /** A check that is neither a success nor a failure (container starting or being restarted by Docker). */
    CHECK_NEUTRAL,
    /** The agent could not reach its Docker engine: a host problem, not counted. */
    DOCKER_UNREACHABLE,
    /** The agent marked the check as engine trouble (most probes of its round unanswered): a host problem, not counted. */
    ENGINE_TROUBLE,
    /** A per-container override in the check metadata could not be read; the default applied. */
    INVALID_OVERRIDE,
    /** A restart command was issued. */
    COMMAND_ISSUED,
    /** The threshold was reached but a restart was withheld: session paused. */
    RESTART_WITHHELD_PAUSED,
    /** The threshold was reached but a restart was withheld: container opted out by label. */
    RESTART_WITHHELD_OPTED_OUT,
    /** The threshold was reached on a check decided so late that its command would have expired: not issued. */
    RESTART_WITHHELD_BACKLOG,
    /** A check from another host or container than the session's owner: a session-id conflict, not decided. */
    FOREIGN_CHECK,
    /** A new session-id conflict was raised (alert and audit). */
    ID_CONFLICT_RAISED,
    /** The session was given up (FAILED). */
    SESSION_FAILED,
    /** The session became HEALTHY again. */
    SESSION_RECOVERED,
    /** The attempt counter was reset after continuous health. */
    ATTEMPTS_RESET,
    /** A pending command got no outcome long after its expiry: given up as lost. */
    COMMAND_LOST,
    /** An outcome was joined to the pending command. */
    OUTCOME_JOINED,
    /** An outcome that matches no pending command (duplicate, late or foreign): ignored. */
    IGNORED_STALE_OUTCOME,
    /** A SKIPPED_DUPLICATE outcome: the agent saw the command twice; the first outcome is what counts. */
    IGNORED_DUPLICATE_OUTCOME,
    /** An outcome, control or silence for a session without state: ignored. */
    IGNORED_UNKNOWN_SESSION,
    /** A control id seen before, or an action newer than this reader: ignored. */
    IGNORED_CONTROL,
    /** An operator control was applied (or audited as not applicable). */
    CONTROL_APPLIED,
    /** The session went silent (UNKNOWN). */
    SESSION_STALE,
    /** The container is gone: the session ended and its state is dropped. */
    SESSION_ENDED
}

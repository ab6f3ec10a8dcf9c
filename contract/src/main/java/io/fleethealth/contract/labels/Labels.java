package io.fleethealth.contract.labels;

/**
 * The Docker labels fleet-health reads on a container, and the metadata keys the agent adds to a check. The
 * agent copies a session container's labels into every check's metadata; the processor decides with them.
 */
public final class Labels {

    /** The default label that marks a session container; its value is the session id (CONTAINER_SESSION_LABEL). */
    public static final String SESSION = "fleet-health.session";
    /** {@code false}: the container is probed and shown but not managed (never restarted, alerted or marked stale). */
    public static final String ENABLED = "fleet-health.enabled";
    /** Failures in a row before a restart, instead of CONTAINER_FAILURE_THRESHOLD. */
    public static final String FAILURE_THRESHOLD = "fleet-health.failure-threshold";
    /** Seconds between SIGTERM and SIGKILL when this container is restarted. */
    public static final String STOP_TIMEOUT = "fleet-health.stop-timeout";
    /**
     * {@code false}: the restart brake leaves the container alone (never held, never budgeted, counted in no group).
     * It travels like every label; only the processor's brake reads it (health-processor's BrakeLabels).
     */
    public static final String BRAKE = "fleet-health.brake";
    /**
     * Metadata key (never a label) naming the override labels whose values were not accepted, e.g.
     * {@code fleet-health.stop-timeout='soon'}; those labels are left out of the metadata and their defaults apply.
     */
    public static final String INVALID_OVERRIDES = "fleet-health.invalid-overrides";

    private Labels() {
    }
}

package io.fleethealth.agent.docker;

import java.time.Duration;
import java.util.List;

/**
 * The agent's view of one Docker engine. Every method blocks; callers bound it with their own timeout.
 * Failures arrive as {@link EngineUnreachableException} (no answer), {@link ContainerGoneException} (no such
 * container) or {@link EngineException} (the engine refused).
 */
public interface ContainerEngine {

    /** Every container carrying {@code labelKey}, whatever its state (exited ones included). */
    List<ContainerSummary> listLabelled(String labelKey);

    ContainerSnapshot inspect(String containerId);

    /**
     * Restarts the container, waiting up to {@code stopTimeout} for it to stop before killing it; the call's own
     * deadline is that stop timeout plus the engine's usual request timeout (at least 10 s).
     */
    void restart(String containerId, Duration stopTimeout);

    /** The engine's version string; also a cheap reachability check. */
    String version();

    /**
     * Follows the engine's events for containers carrying {@code labelKey}: die, oom, health_status, destroy.
     * The stream ends (listener's {@code onClosed}) when the engine goes away; subscribe again to resume.
     */
    Subscription subscribe(String labelKey, Listener listener);

    interface Listener {
        void onEvent(ContainerEvent event);

        /** The stream ended: {@code cause} is null when it completed, the error otherwise. */
        void onClosed(Throwable cause);
    }

    /** An open event stream; closing it stops the events. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}

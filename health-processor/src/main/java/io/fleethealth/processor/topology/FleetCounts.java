package io.fleethealth.processor.topology;

import io.fleethealth.events.HealthStatus;
import io.fleethealth.processor.state.HostState;

/**
 * The counts the topology keeps as it decides, for the API and the gauges: sessions by status, and apart those
 * not managed (labelled {@code fleet-health.enabled=false}) by status (both kept by the decision processor), and
 * hosts by liveness (kept by the host monitor).
 */
public record FleetCounts(LiveCounts<HealthStatus> sessions, LiveCounts<HealthStatus> notManagedSessions,
                          LiveCounts<HostLiveness> hosts) {

    public static FleetCounts create() {
        return new FleetCounts(new LiveCounts<>(HealthStatus.class), new LiveCounts<>(HealthStatus.class),
                new LiveCounts<>(HostLiveness.class));
    }

    /** Whether a known host's heartbeats arrive. */
    public enum HostLiveness {
        LIVE, SILENT;

        static HostLiveness of(HostState host) {
            return host.silent() ? SILENT : LIVE;
        }
    }
}

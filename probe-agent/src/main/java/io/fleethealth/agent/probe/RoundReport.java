package io.fleethealth.agent.probe;

import io.fleethealth.events.HealthCheckResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One finished probe round.
 *
 * @param containersMonitored containers the round probed (0 when the engine could not list them)
 * @param engineTrouble the engine breaker tripped: the round's unanswered probes are marked as the host's problem
 */
public record RoundReport(Instant startedAt, Duration duration, boolean engineReachable, int containersMonitored,
                          List<HealthCheckResult> results, boolean engineTrouble) {

    public RoundReport {
        results = List.copyOf(results);
    }

    public RoundReport(Instant startedAt, Duration duration, boolean engineReachable, int containersMonitored,
                       List<HealthCheckResult> results) {
        this(startedAt, duration, engineReachable, containersMonitored, results, false);
    }
}

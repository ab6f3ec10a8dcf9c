package io.fleethealth.agent.probe;

import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.ValueParser;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's half of the engine circuit breaker, as a pure function of one round's results. A slow or failing
 * dockerd makes every container of the host look sick at once; counting that as container failures would restart
 * the whole host (a restart storm against an engine already in trouble). So when more than {@code troubleShare} of a
 * round's probes (and at least {@code minProbes}) could not get an answer from the engine - a probe timeout, an engine
 * error, an unreachable engine - the round is the host's problem: each of those results is marked with
 * {@code engineTrouble}, and the processor counts it neither way and raises one host alert. Results the engine did
 * answer are real observations and stay as they are. A round whose container list failed is always host trouble.
 *
 * @param troubleShare share of a round's probes beyond which the engine is in trouble, in [0, 1)
 * @param minProbes fewest failed probes that can trip the breaker (one container timing out alone stays its own)
 */
public record EngineBreaker(double troubleShare, int minProbes) {

    public static final Setting<Double> TROUBLE_SHARE = Setting.of("AGENT_ENGINE_TROUBLE_SHARE",
            "share of one round's probes that must fail for the engine's reasons (timeout, engine error) before the"
                    + " round counts as engine trouble on the host rather than container failures",
            0.5, ValueParser.of("a decimal number from 0 (inclusive) to 1 (exclusive), e.g. 0.5", raw -> {
                double value = Double.parseDouble(raw.trim());
                if (!(value >= 0 && value < 1)) {
                    throw new IllegalArgumentException("not in [0, 1)");
                }
                return value;
            }, String::valueOf));
    public static final Setting<Integer> MIN_PROBES = Setting.of("AGENT_ENGINE_TROUBLE_MIN_PROBES",
            "fewest probes of one round that must fail for the engine's reasons to trip the engine breaker",
            2, ValueParser.intBetween(1, 100_000));

    /** Probe failures that say nothing about the container: the engine did not answer or failed. */
    private static final Set<ErrorCategory> ENGINE_CATEGORIES =
            Set.of(ErrorCategory.PROBE_TIMEOUT, ErrorCategory.DOCKER_UNREACHABLE, ErrorCategory.OTHER);

    public static final EngineBreaker DEFAULT = new EngineBreaker(TROUBLE_SHARE.resolve(null, null),
            MIN_PROBES.resolve(null, null));

    public EngineBreaker {
        if (!(troubleShare >= 0 && troubleShare < 1)) {
            throw new IllegalArgumentException("troubleShare must be in [0, 1), was " + troubleShare);
        }
        if (minProbes < 1) {
            throw new IllegalArgumentException("minProbes must be at least 1, was " + minProbes);
        }
    }

    public static EngineBreaker fromEnvironment(Map<String, String> env) {
        return new EngineBreaker(TROUBLE_SHARE.resolve(env.get(TROUBLE_SHARE.key()), null),
                MIN_PROBES.resolve(env.get(MIN_PROBES.key()), null));
    }

    /** A result the engine did not answer: unknown status for an engine reason. */
    public static boolean engineFailed(HealthCheckResult result) {
        return result.getStatus() == HealthStatus.UNKNOWN && ENGINE_CATEGORIES.contains(result.getErrorCategory());
    }

    /** Why the round is engine trouble, or empty when its failures (if any) are the containers' own. */
    public Optional<String> trips(List<HealthCheckResult> results, String hostId) {
        long failed = results.stream().filter(EngineBreaker::engineFailed).count();
        if (failed < minProbes || failed <= troubleShare * results.size()) {
            return Optional.empty();
        }
        return Optional.of("docker engine of host " + hostId + " in trouble: " + failed + " of " + results.size()
                + " probes of the round got no answer from it (timeout or engine error)");
    }

    /** The round's results, those the engine did not answer marked with {@code reason}. */
    public static List<HealthCheckResult> mark(List<HealthCheckResult> results, String reason) {
        return results.stream()
                .map(r -> engineFailed(r) ? HealthCheckResult.newBuilder(r).setEngineTrouble(reason).build() : r)
                .toList();
    }
}

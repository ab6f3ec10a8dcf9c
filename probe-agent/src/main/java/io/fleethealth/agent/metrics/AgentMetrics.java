package io.fleethealth.agent.metrics;

import io.fleethealth.agent.probe.ProbeResultSink;
import io.fleethealth.agent.probe.RoundReport;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The agent's Prometheus metrics. Counters kept elsewhere (overruns, publishing) are read through function counters,
 * so they are counted in one place only.
 *
 * <p>Names as scraped: {@code fleet_agent_probes_total{status}}, {@code fleet_agent_probe_latency_seconds} (histogram),
 * {@code fleet_agent_round_duration_seconds}, {@code fleet_agent_round_overruns_total},
 * {@code fleet_agent_containers_monitored}, {@code fleet_agent_commands_total{result}},
 * {@code fleet_agent_publish_dropped_total}, {@code fleet_agent_publish_published_total},
 * {@code fleet_agent_publish_denied_total}, {@code fleet_agent_command_decode_failures_total},
 * {@code fleet_agent_command_loop_failures_total}, {@code fleet_agent_commands_blocked},
 * {@code fleet_agent_engine_trouble_rounds_total}.
 */
public final class AgentMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer probeLatency;
    private final Timer roundDuration;
    private final AtomicInteger containersMonitored = new AtomicInteger();
    private final Counter engineTroubleRounds;
    /** Micrometer holds a function counter's source weakly; a method reference held by nothing else would be
     * collected and the counter would freeze at its last value. */
    private final List<Supplier<Number>> counterSources = new CopyOnWriteArrayList<>();

    public AgentMetrics(String hostId) {
        registry.config().commonTags("host", hostId);
        this.probeLatency = Timer.builder("fleet.agent.probe.latency")
                .description("How long one probe of a container took")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.roundDuration = Timer.builder("fleet.agent.round.duration")
                .description("How long one probe round over all containers took")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        Gauge.builder("fleet.agent.containers.monitored", containersMonitored, AtomicInteger::get)
                .description("Session containers probed in the last round")
                .register(registry);
        this.engineTroubleRounds = Counter.builder("fleet.agent.engine.trouble.rounds")
                .description("Probe rounds reported as engine trouble on the host (breaker tripped or list failed)")
                .register(registry);
        for (RestartResult result : RestartResult.values()) {
            commands(result); // every result shows from the start, at 0
        }
    }

    /** Counts each result by status and records its latency before handing it on. */
    public ProbeResultSink metered(ProbeResultSink sink) {
        return result -> {
            probed(result);
            sink.accept(result);
        };
    }

    void probed(HealthCheckResult result) {
        Counter.builder("fleet.agent.probes")
                .description("Probe results by status")
                .tag("status", result.getStatus().name())
                .register(registry)
                .increment();
        probeLatency.record((long) (result.getResponseTimeMs() * 1_000_000), TimeUnit.NANOSECONDS);
    }

    public void roundFinished(RoundReport report) {
        if (report.engineTrouble()) {
            engineTroubleRounds.increment();
        }
        roundDuration.record(report.duration());
        containersMonitored.set(report.containersMonitored());
    }

    public void commandHandled(RestartResult result) {
        commands(result).increment();
    }

    private Counter commands(RestartResult result) {
        return Counter.builder("fleet.agent.commands")
                .description("Restart commands handled by result")
                .tag("result", result.name())
                .register(registry);
    }

    public void overruns(Supplier<Number> total) {
        functionCounter("fleet.agent.round.overruns", "Probe rounds that took longer than the interval", total);
    }

    public void publishDropped(Supplier<Number> total) {
        functionCounter("fleet.agent.publish.dropped", "Records dropped because the publish buffer was full", total);
    }

    public void publishDenied(Supplier<Number> total) {
        functionCounter("fleet.agent.publish.denied", "Records Kafka refused for lack of an ACL (dropped)", total);
    }

    public void published(Supplier<Number> total) {
        functionCounter("fleet.agent.publish.published", "Records acknowledged by Kafka", total);
    }

    public void commandDecodeFailures(Supplier<Number> total) {
        functionCounter("fleet.agent.command.decode.failures",
                "Restart commands that could not be decoded (each retry counts); reading waits and retries", total);
    }

    public void commandsCorruptSkipped(Supplier<Number> total) {
        functionCounter("fleet.agent.command.corrupt.skipped",
                "Records on the restart commands topic that can never be decoded, passed over (logged with their offset)",
                total);
    }

    public void commandLoopFailures(Supplier<Number> total) {
        functionCounter("fleet.agent.command.loop.failures",
                "Unexpected failures of the restart command loop, each followed by a restart after a back-off", total);
    }

    /** 1 while restart commands cannot be read (an undecodable command waits for its retry), else 0. */
    public void commandsBlocked(Supplier<Number> blocked) {
        counterSources.add(blocked);
        Gauge.builder("fleet.agent.commands.blocked", blocked, s -> s.get().doubleValue())
                .description("1 while a restart command cannot be decoded and reading waits to retry it")
                .register(registry);
    }

    private void functionCounter(String name, String description, Supplier<Number> total) {
        counterSources.add(total);
        FunctionCounter.builder(name, total, s -> s.get().doubleValue()).description(description).register(registry);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }
}

package io.fleethealth.processor.metrics;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.processor.decision.Decision;
import io.fleethealth.processor.decision.DecisionCounter;
import io.fleethealth.processor.decision.SessionEvent;
import io.fleethealth.processor.topology.DecisionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processor's own metrics, fed by the topology: one counter per decision fact, audit events by
 * action (restarts issued, succeeded, failed ...), dead letters by source topic, and the probe response
 * times the agents reported.
 */
public final class ProcessorMetrics implements DecisionListener {

    private final MeterRegistry registry;
    private final Map<DecisionCounter, Counter> facts = new EnumMap<>(DecisionCounter.class);
    private final Map<String, Counter> audits = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Counter alertsFired;
    private final DistributionSummary probeResponseSeconds;

    public ProcessorMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (DecisionCounter fact : DecisionCounter.values()) {
            facts.put(fact, Counter.builder("fleet.decisions")
                    .description("Facts of the per-session decisions, by kind")
                    .tag("fact", fact.name().toLowerCase())
                    .register(registry));
        }
        this.alertsFired = Counter.builder("fleet.alerts.fired")
                .description("Session alerts that started firing")
                .register(registry);
        // Prometheus' base unit: fleet_probe_response_time_seconds (the agents report milliseconds).
        this.probeResponseSeconds = DistributionSummary.builder("fleet.probe.response.time")
                .description("Probe response times reported by the agents")
                .baseUnit("seconds")
                .publishPercentiles(0.5, 0.9, 0.99)
                .register(registry);
    }

    @Override
    public void onDecision(SessionEvent event, Decision decision) {
        for (DecisionCounter fact : decision.counters()) {
            facts.get(fact).increment();
        }
        for (AuditEvent audit : decision.audits()) {
            audits.computeIfAbsent(audit.getAction().name(), action -> Counter.builder("fleet.audit.events")
                    .description("Audit events emitted, by action")
                    .tag("action", action.toLowerCase())
                    .register(registry)).increment();
        }
        for (HealthAlert alert : decision.alerts()) {
            if (alert.getStatus() == AlertStatus.FIRING) {
                alertsFired.increment();
            }
        }
        if (event instanceof SessionEvent.CheckReceived received && decision.counted(DecisionCounter.CHECK_PROCESSED)) {
            probeResponseSeconds.record(received.check().getResponseTimeMs() / 1000.0);
        }
        if (event instanceof SessionEvent.OutcomeReceived received && decision.counted(DecisionCounter.OUTCOME_JOINED)) {
            outcomes.computeIfAbsent(received.outcome().getResult().name(), result -> Counter.builder("fleet.restart.outcomes")
                    .description("Restart outcomes joined back into their session, by result")
                    .tag("result", result.toLowerCase())
                    .register(registry)).increment();
        }
    }

    @Override
    public void onSkipped(String sourceTopic) {
        skipped.computeIfAbsent(sourceTopic, key -> Counter.builder("fleet.input.skipped")
                .description("Unreadable records skipped where no dead-letter topic can be written (global store)")
                .tag("topic", sourceTopic)
                .register(registry)).increment();
    }

    @Override
    public void onDeadLetter(String sourceTopic) {
        deadLetters.computeIfAbsent(sourceTopic, topic -> Counter.builder("fleet.dead.letters")
                .description("Input records sent to the dead-letter topic, by source topic")
                .tag("topic", topic)
                .register(registry)).increment();
    }

    public double count(DecisionCounter fact) {
        return facts.get(fact).count();
    }

    public double auditCount(String action) {
        Counter counter = audits.get(action);
        return counter == null ? 0 : counter.count();
    }

    public double outcomeCount(String result) {
        Counter counter = outcomes.get(result);
        return counter == null ? 0 : counter.count();
    }

    public double alertsFiredCount() {
        return alertsFired.count();
    }

    public double deadLetterCount() {
        return deadLetters.values().stream().mapToDouble(Counter::count).sum();
    }

    public double skippedCount() {
        return skipped.values().stream().mapToDouble(Counter::count).sum();
    }

    /** Probe response times in seconds. */
    public DistributionSummary probeResponseTimes() {
        return probeResponseSeconds;
    }
}

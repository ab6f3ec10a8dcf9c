package io.fleethealth.agent.it;

import io.fleethealth.agent.docker.ContainerEngine;
import io.fleethealth.agent.probe.AgentIdentity;
import io.fleethealth.agent.probe.ProbeClassifier;
import io.fleethealth.agent.probe.ProbeRound;
import io.fleethealth.events.HealthCheckResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The probing part of an agent wired as in production, with a session label of its own so tests never see others' containers. */
final class AgentFixture implements AutoCloseable {

    final String sessionLabel = "fleet-health-it." + UUID.randomUUID().toString().substring(0, 8) + ".session";
    final ProbeClassifier classifier = new ProbeClassifier(AgentIdentity.startingNow("it-host"));
    final List<HealthCheckResult> results = new CopyOnWriteArrayList<>();
    final ExecutorService probeExecutor;
    final ProbeRound round;

    AgentFixture(ContainerEngine engine, Duration timeout, int concurrency) {
        this.probeExecutor = Executors.newFixedThreadPool(concurrency);
        this.round = new ProbeRound(engine, classifier, sessionLabel, timeout, probeExecutor, Clock.systemUTC());
    }

    Optional<HealthCheckResult> latestFor(String containerId) {
        HealthCheckResult latest = null;
        for (HealthCheckResult r : results) {
            if (r.getContainerId().equals(containerId)) {
                latest = r;
            }
        }
        return Optional.ofNullable(latest);
    }

    /** Runs one round and keeps its results; returns the result for {@code containerId}, if the round had one. */
    Optional<HealthCheckResult> roundResultFor(String containerId) {
        List<HealthCheckResult> round = this.round.run().results();
        results.addAll(round);
        return round.stream().filter(r -> r.getContainerId().equals(containerId)).findFirst();
    }

    @Override
    public void close() {
        probeExecutor.shutdownNow();
    }
}

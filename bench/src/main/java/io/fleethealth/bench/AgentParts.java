package io.fleethealth.bench;

import io.fleethealth.agent.docker.DockerEngine;
import io.fleethealth.agent.probe.AgentIdentity;
import io.fleethealth.agent.probe.ProbeClassifier;
import io.fleethealth.agent.probe.ProbeRound;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The agent's probing parts wired as ProbeAgent wires them (same executor shape, same timeout default). */
final class AgentParts implements AutoCloseable {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    final DockerEngine engine;
    final ProbeClassifier classifier;
    final ThreadPoolExecutor executor;
    final ProbeRound round;

    AgentParts(BenchContainers containers, int concurrency) {
        this.engine = new DockerEngine(containers.dockerHost(), Duration.ofSeconds(30));
        this.classifier = new ProbeClassifier(AgentIdentity.startingNow("bench-host"));
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(256, concurrency * 64)), r -> {
                    Thread t = new Thread(r, "probe-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.round = new ProbeRound(engine, classifier, BenchContainers.SESSION_LABEL, PROBE_TIMEOUT, executor,
                Clock.systemUTC());
    }

    @Override
    public void close() {
        executor.shutdownNow();
        engine.close();
    }
}

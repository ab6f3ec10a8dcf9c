package io.fleethealth.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.events.HealthCheckResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeSchedulerTest {

    private final FakeEngine engine = new FakeEngine();
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final ProbeRound round = new ProbeRound(engine,
            new ProbeClassifier(new AgentIdentity("host-a", "run1", "test")), "fleet-health.session",
            Duration.ofSeconds(1), executor, Clock.systemUTC());

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void shouldHandEveryResultOfARoundToTheSink() {
        engine.add(Snapshots.running("a"));
        engine.add(Snapshots.running("b"));
        List<HealthCheckResult> sink = new CopyOnWriteArrayList<>();
        try (ProbeScheduler scheduler = new ProbeScheduler(round, sink::add, Duration.ofSeconds(60))) {
            scheduler.runRound();

            assertThat(sink).extracting(HealthCheckResult::getContainerId).containsExactlyInAnyOrder("a", "b");
            assertThat(scheduler.rounds()).isEqualTo(1);
            assertThat(scheduler.lastRound()).hasValueSatisfying(r -> assertThat(r.containersMonitored()).isEqualTo(2));
        }
    }

    @Test
    void shouldKeepRunningRoundsWhenTheSinkThrows() {
        engine.add(Snapshots.running("a"));
        AtomicInteger calls = new AtomicInteger();
        try (ProbeScheduler scheduler = new ProbeScheduler(round, r -> {
            calls.incrementAndGet();
            throw new IllegalStateException("sink broken");
        }, Duration.ofMillis(100))) {
            scheduler.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.rounds() >= 3);
            assertThat(scheduler.sinkFailures()).isGreaterThanOrEqualTo(3);
            assertThat(calls.get()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void shouldSurviveARoundThatThrowsAndCountIt() {
        ProbeRound broken = new ProbeRound(engine, new ProbeClassifier(new AgentIdentity("h", "r", "v")), "fleet-health.session", Duration.ofSeconds(1), command -> {
            throw new IllegalStateException("executor broken");
        }, Clock.systemUTC());
        try (ProbeScheduler scheduler = new ProbeScheduler(broken, r -> { }, Duration.ofMillis(50))) {
            scheduler.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.roundFailures() >= 3);
        }
    }

    @Test
    void shouldCountAnOverrunAndNeverOverlapRounds() {
        engine.add(Snapshots.of("slow", io.fleethealth.events.DockerState.RUNNING, 0, false,
                io.fleethealth.events.DockerHealth.NONE, 0, null, Map.of("fleet-health.session", "s")));
        engine.listDelay = Duration.ofMillis(150);
        try (ProbeScheduler scheduler = new ProbeScheduler(round, r -> { }, Duration.ofMillis(50))) {
            scheduler.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.overruns() >= 2);
            assertThat(engine.maxConcurrentLists.get()).as("rounds running at the same time").isEqualTo(1);
            assertThat(scheduler.roundFailures()).isZero();
        }
    }
}

package io.fleethealth.agent.it;

import static io.fleethealth.agent.it.TestDocker.RUN_FOREVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.agent.docker.DockerEngine;
import io.fleethealth.agent.probe.EventWatcher;
import io.fleethealth.agent.probe.ProbeScheduler;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event fast path against the real engine: with a 60 s round interval, a crash must be reported long before the
 * next round. The Awaitility limit (10 s) is the functional bound, well below the interval.
 */
class FastPathIT {

    private static final Logger log = LoggerFactory.getLogger(FastPathIT.class);
    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final Duration WELL_BEFORE_NEXT_ROUND = Duration.ofSeconds(10);

    private final TestDocker docker = new TestDocker();
    private final DockerEngine engine = new DockerEngine(docker.dockerHost(), Duration.ofSeconds(10));
    private final AgentFixture agent = new AgentFixture(engine, Duration.ofSeconds(5), 16);
    private ProbeScheduler scheduler;
    private EventWatcher watcher;

    @BeforeEach
    void startAgent() {
        scheduler = new ProbeScheduler(agent.round, agent.results::add, INTERVAL);
        watcher = new EventWatcher(engine, agent.round, agent.classifier, agent.results::add, agent.sessionLabel,
                Clock.systemUTC(), Duration.ofMillis(200), Duration.ofSeconds(5));
        scheduler.start();
        watcher.start();
        awaitLiveEventStream();
    }

    /** Subscribing is asynchronous: a destroyed probe container proves that events flow before a test starts. */
    private void awaitLiveEventStream() {
        await().atMost(WELL_BEFORE_NEXT_ROUND).until(() -> scheduler.rounds() >= 1 && watcher.subscriptions() >= 1);
        await().atMost(WELL_BEFORE_NEXT_ROUND).pollInterval(Duration.ofMillis(500)).until(() -> {
            String canary = docker.run(Map.of(agent.sessionLabel, "canary"), "exit 0");
            docker.remove(canary);
            return await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> agent.latestFor(canary).isPresent(), ok -> true);
        });
    }

    @AfterEach
    void stopAgent() {
        try {
            watcher.close();
            scheduler.close();
            agent.close();
            engine.close();
        } finally {
            docker.close();
        }
    }

    @Test
    void shouldReportAContainerThatDiesWellBeforeTheNextRound() {
        long roundsBefore = scheduler.rounds();
        String id = docker.run(Map.of(agent.sessionLabel, "s-crash"), "sleep 1; exit 3");

        HealthCheckResult result = await().atMost(WELL_BEFORE_NEXT_ROUND).pollInterval(Duration.ofMillis(50))
                .until(() -> agent.latestFor(id), Optional::isPresent).orElseThrow();

        log.info("Crash reported {} ms after the container finished (probe took {} ms)",
                Duration.between(Instant.parse(result.getMetadata().get("finishedAt")), result.getProbeTime()).toMillis(),
                result.getResponseTimeMs());
        assertThat(result.getStatus()).isEqualTo(HealthStatus.FAILED);
        assertThat(result.getErrorCategory()).isEqualTo(ErrorCategory.EXITED);
        assertThat(result.getExitCode()).isEqualTo(3);
        assertThat(result.getSessionId()).isEqualTo("s-crash");
        assertThat(scheduler.rounds()).as("no round ran in between: the event did it").isEqualTo(roundsBefore);
    }

    @Test
    void shouldReportAKilledContainerFromItsDieEvent() {
        String id = docker.run(Map.of(agent.sessionLabel, "s-kill"), RUN_FOREVER);
        docker.client().killContainerCmd(id).exec();

        HealthCheckResult result = await().atMost(WELL_BEFORE_NEXT_ROUND).pollInterval(Duration.ofMillis(50))
                .until(() -> agent.latestFor(id), Optional::isPresent).orElseThrow();

        assertThat(result.getStatus()).isEqualTo(HealthStatus.FAILED);
        assertThat(result.getExitCode()).isEqualTo(137);
    }

    @Test
    void shouldReportAHealthcheckTurningUnhealthyFromItsHealthEvent() {
        String id = docker.run(Map.of(agent.sessionLabel, "s-sick"), "touch /tmp/ok; sleep 2; rm /tmp/ok; " + RUN_FOREVER,
                TestDocker.healthCheck("test -f /tmp/ok || { echo gone; exit 1; }"));

        HealthCheckResult result = await().atMost(WELL_BEFORE_NEXT_ROUND).pollInterval(Duration.ofMillis(50))
                .until(() -> agent.latestFor(id), r -> r.isPresent()
                        && r.get().getErrorCategory() == ErrorCategory.HEALTHCHECK_FAILING).orElseThrow();

        assertThat(result.getStatus()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(result.getLastHealthOutput()).contains("gone");
    }

    @Test
    void shouldReportARemovedContainerAsGoneFromItsDestroyEvent() {
        String id = docker.run(Map.of(agent.sessionLabel, "s-removed"), RUN_FOREVER);
        docker.remove(id);

        HealthCheckResult gone = await().atMost(WELL_BEFORE_NEXT_ROUND).pollInterval(Duration.ofMillis(50))
                .until(() -> agent.latestFor(id), r -> r.isPresent()
                        && r.get().getErrorCategory() == ErrorCategory.CONTAINER_GONE).orElseThrow();

        assertThat(gone.getSessionId()).isEqualTo("s-removed");
        assertThat(gone.getStatus()).isEqualTo(HealthStatus.FAILED);
    }

    @Test
    void shouldNotReactToEventsOfUnlabelledContainers() {
        String unlabelled = docker.run(Map.of(), "exit 1");
        String labelled = docker.run(Map.of(agent.sessionLabel, "s-after"), "exit 2");

        await().atMost(WELL_BEFORE_NEXT_ROUND).until(() -> agent.latestFor(labelled).isPresent());
        assertThat(agent.latestFor(unlabelled)).isEmpty();
    }
}

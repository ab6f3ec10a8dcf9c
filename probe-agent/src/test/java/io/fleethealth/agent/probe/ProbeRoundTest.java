package io.fleethealth.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.agent.docker.ContainerSnapshot;
import io.fleethealth.contract.labels.Labels;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeRoundTest {

    private static final String LABEL = "fleet-health.session";
    // a GC pause or a starved CPU on a busy CI machine must not turn a healthy fake probe into a timeout
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private final FakeEngine engine = new FakeEngine();
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final ProbeRound round = new ProbeRound(engine,
            new ProbeClassifier(new AgentIdentity("host-a", "run1", "test")), LABEL, TIMEOUT, executor,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void stop() {
        engine.releaseHangs();
        executor.shutdownNow();
    }

    private static ContainerSnapshot labelled(String id, DockerState state, Map<String, String> extra) {
        Map<String, String> labels = new java.util.HashMap<>(extra);
        labels.put(LABEL, "session-" + id);
        return Snapshots.of(id, state, state == DockerState.EXITED ? 1 : 0, false, DockerHealth.NONE, 0, null, labels);
    }

    @Test
    void shouldProbeEveryLabelledContainerInOneRound() {
        engine.add(labelled("a", DockerState.RUNNING, Map.of()));
        engine.add(labelled("b", DockerState.EXITED, Map.of()));
        engine.add(Snapshots.of("unlabelled", DockerState.EXITED, 1, false, DockerHealth.NONE, 0, null, Map.of()));

        RoundReport report = round.run();

        assertThat(report.engineReachable()).isTrue();
        assertThat(report.containersMonitored()).isEqualTo(2);
        assertThat(report.startedAt()).isEqualTo(NOW);
        assertThat(report.results()).extracting(HealthCheckResult::getSessionId, HealthCheckResult::getStatus)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("session-a", HealthStatus.HEALTHY),
                        org.assertj.core.groups.Tuple.tuple("session-b", HealthStatus.FAILED));
    }

    /**
     * Opted out means "not managed", not "not watched": skipping the container left its session silent, which the
     * processor then marked stale and alerted on. It is probed, and the label travels for the processor to read.
     */
    @Test
    void shouldProbeContainersThatOptedOutAndSayItInTheMetadata() {
        engine.add(labelled("a", DockerState.RUNNING, Map.of()));
        engine.add(labelled("quiet", DockerState.EXITED, Map.of(Labels.ENABLED, "false")));

        RoundReport report = round.run();

        assertThat(report.results()).extracting(HealthCheckResult::getContainerId).containsExactlyInAnyOrder("a", "quiet");
        assertThat(report.containersMonitored()).isEqualTo(2);
        assertThat(engine.inspects.get()).isEqualTo(2);
        assertThat(report.results()).filteredOn(r -> r.getContainerId().equals("quiet")).singleElement()
                .satisfies(r -> assertThat(r.getMetadata()).containsEntry(Labels.ENABLED, "false"));
    }

    @Test
    void shouldReportAHungProbeAsTimedOutWithoutDelayingTheOthers() {
        IntStream.range(0, 6).forEach(i -> engine.add(labelled("c" + i, DockerState.RUNNING, Map.of())));
        engine.hanging.add("c1");
        engine.hanging.add("c4");

        long start = System.nanoTime();
        RoundReport report = round.run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        Map<String, ErrorCategory> categories = report.results().stream()
                .collect(Collectors.toMap(HealthCheckResult::getContainerId, HealthCheckResult::getErrorCategory));
        assertThat(categories).hasSize(6)
                .containsEntry("c1", ErrorCategory.PROBE_TIMEOUT)
                .containsEntry("c4", ErrorCategory.PROBE_TIMEOUT)
                .containsEntry("c0", ErrorCategory.NONE)
                .containsEntry("c5", ErrorCategory.NONE);
        assertThat(report.results()).filteredOn(r -> r.getErrorCategory() == ErrorCategory.PROBE_TIMEOUT)
                .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(HealthStatus.UNKNOWN));
        assertThat(took).as("the round waits for one timeout, not one per hung probe").isLessThan(TIMEOUT.multipliedBy(3));
    }

    @Test
    void shouldLeaveAFewTimeoutsAsTheContainersOwnWhenMostProbesAreAnswered() {
        IntStream.range(0, 6).forEach(i -> engine.add(labelled("c" + i, DockerState.RUNNING, Map.of())));
        engine.hanging.add("c1");
        engine.hanging.add("c4");

        RoundReport report = round.run();

        assertThat(report.engineTrouble()).isFalse();
        assertThat(report.results()).allSatisfy(r -> assertThat(r.getEngineTrouble()).isNull());
    }

    @Test
    void shouldReportARoundWhereMostProbesTimeOutAsEngineTroubleOnTheHost() {
        IntStream.range(0, 4).forEach(i -> engine.add(labelled("c" + i, DockerState.RUNNING, Map.of())));
        engine.add(labelled("down", DockerState.EXITED, Map.of()));
        engine.hanging.addAll(java.util.List.of("c0", "c1", "c2", "c3"));

        RoundReport report = round.run();

        assertThat(report.engineTrouble()).isTrue();
        assertThat(report.results()).filteredOn(r -> r.getErrorCategory() == ErrorCategory.PROBE_TIMEOUT).hasSize(4)
                .allSatisfy(r -> assertThat(r.getEngineTrouble()).contains("host-a").contains("4 of 5"));
        // what the engine did answer is a real observation of the container and stays one
        assertThat(report.results()).filteredOn(r -> r.getContainerId().equals("down")).singleElement()
                .satisfies(r -> {
                    assertThat(r.getStatus()).isEqualTo(HealthStatus.FAILED);
                    assertThat(r.getEngineTrouble()).isNull();
                });
    }

    @Test
    void shouldMarkEveryResultOfARoundWhoseContainerListFailedAsEngineTrouble() {
        engine.add(labelled("a", DockerState.RUNNING, Map.of()));
        round.run();
        engine.unreachable = true;

        RoundReport report = round.run();

        assertThat(report.engineTrouble()).isTrue();
        assertThat(report.results()).singleElement()
                .satisfies(r -> assertThat(r.getEngineTrouble()).contains("unreachable"));
    }

    @Test
    void shouldReportOneHostLevelResultWhenTheEngineIsUnreachableAndNoSessionWasEverSeen() {
        engine.unreachable = true;

        RoundReport report = round.run();

        assertThat(report.engineReachable()).isFalse();
        assertThat(report.results()).singleElement().satisfies(r -> {
            assertThat(r.getSessionId()).isEqualTo("host:host-a");
            assertThat(r.getStatus()).isEqualTo(HealthStatus.UNKNOWN);
            assertThat(r.getErrorCategory()).isEqualTo(ErrorCategory.DOCKER_UNREACHABLE);
            assertThat(r.getErrorMessage()).contains("connection refused");
        });
    }

    @Test
    void shouldReportEachLastSeenSessionOncePerRoundWhenTheEngineBecomesUnreachable() {
        engine.add(labelled("a", DockerState.RUNNING, Map.of()));
        engine.add(labelled("b", DockerState.RUNNING, Map.of()));
        round.run();
        engine.unreachable = true;

        RoundReport first = round.run();
        RoundReport second = round.run();

        for (RoundReport report : java.util.List.of(first, second)) {
            assertThat(report.results()).hasSize(2)
                    .allSatisfy(r -> assertThat(r.getErrorCategory()).isEqualTo(ErrorCategory.DOCKER_UNREACHABLE))
                    .extracting(HealthCheckResult::getSessionId).containsExactlyInAnyOrder("session-a", "session-b");
        }
        assertThat(engine.inspects.get()).as("no per-container retries against a dead engine").isEqualTo(2);
    }

    @Test
    void shouldReportAContainerRemovedBetweenListAndInspectAsGone() {
        ContainerSnapshot a = labelled("a", DockerState.RUNNING, Map.of());
        ProbeTarget target = new ProbeTarget("session-a", "a", "name-a", "img", a.labels());

        HealthCheckResult result = round.probe(target).join();

        assertThat(result.getStatus()).isEqualTo(HealthStatus.FAILED);
        assertThat(result.getErrorCategory()).isEqualTo(ErrorCategory.CONTAINER_GONE);
        assertThat(result.getSessionId()).isEqualTo("session-a");
    }

    @Test
    void shouldTimeOutTheRoundWhenTheContainerListHangs() {
        engine.listDelay = TIMEOUT.multipliedBy(5);

        long start = System.nanoTime();
        RoundReport report = round.run();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(engine.listDelay);
        assertThat(report.engineReachable()).isFalse();
        assertThat(report.results()).singleElement()
                .satisfies(r -> assertThat(r.getErrorCategory()).isEqualTo(ErrorCategory.DOCKER_UNREACHABLE));
    }
}

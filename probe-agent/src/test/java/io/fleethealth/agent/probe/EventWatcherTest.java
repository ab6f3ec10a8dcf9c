package io.fleethealth.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.agent.docker.ContainerEvent;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventWatcherTest {

    private static final String LABEL = "fleet-health.session";
    private static final Map<String, String> ATTRIBUTES = Map.of(LABEL, "session-a", "name", "web-a", "image", "img:1");

    private final FakeEngine engine = new FakeEngine();
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<HealthCheckResult> sink = new CopyOnWriteArrayList<>();
    private final ProbeClassifier classifier = new ProbeClassifier(new AgentIdentity("host-a", "run1", "test"));
    private final ProbeRound round = new ProbeRound(engine, classifier, LABEL, Duration.ofSeconds(1), executor,
            Clock.systemUTC());
    private EventWatcher watcher;

    @BeforeEach
    void startWatcher() {
        watcher = new EventWatcher(engine, round, classifier, sink::add, LABEL, Clock.systemUTC(),
                Duration.ofMillis(20), Duration.ofMillis(200));
    }

    @AfterEach
    void stop() {
        watcher.close();
        executor.shutdownNow();
    }

    private static ContainerEvent event(String action, Map<String, String> attributes) {
        return new ContainerEvent("a", action, attributes, Instant.now());
    }

    @Test
    void shouldProbeAContainerAtOnceWhenItDies() {
        engine.add(Snapshots.of("a", DockerState.EXITED, 1, false, io.fleethealth.events.DockerHealth.NONE, 0, null,
                Map.of(LABEL, "session-a")));
        watcher.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !engine.listeners.isEmpty());

        engine.emit(event("die", ATTRIBUTES));

        await().atMost(Duration.ofSeconds(5)).until(() -> !sink.isEmpty());
        assertThat(sink).singleElement().satisfies(r -> {
            assertThat(r.getSessionId()).isEqualTo("session-a");
            assertThat(r.getStatus()).isEqualTo(HealthStatus.FAILED);
            assertThat(r.getErrorCategory()).isEqualTo(ErrorCategory.EXITED);
        });
    }

    @Test
    void shouldProbeOnOomAndOnAnUnhealthyHealthStatusButNotOnAHealthyOne() {
        engine.add(Snapshots.of("a", DockerState.RUNNING, 0, false, io.fleethealth.events.DockerHealth.UNHEALTHY, 3,
                "bad", Map.of(LABEL, "session-a")));
        watcher.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !engine.listeners.isEmpty());

        engine.emit(event("health_status: healthy", ATTRIBUTES));
        engine.emit(event("health_status: unhealthy", ATTRIBUTES));
        engine.emit(event("oom", ATTRIBUTES));

        await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() >= 2);
        assertThat(engine.inspects.get()).isEqualTo(2);
        assertThat(sink).allSatisfy(r -> assertThat(r.getErrorCategory()).isEqualTo(ErrorCategory.HEALTHCHECK_FAILING));
    }

    @Test
    void shouldNotReportAContainerAliveAgainAfterItsDestroyEvent() {
        // docker rm -f: the kill's 'die' probe can still be inspecting while 'destroy' arrives; its late answer
        // ("removing") must not follow the authoritative CONTAINER_GONE.
        engine.add(Snapshots.of("a", DockerState.REMOVING, 137, false, io.fleethealth.events.DockerHealth.NONE, 0,
                null, Map.of(LABEL, "session-a")));
        engine.hanging.add("a");
        watcher.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !engine.listeners.isEmpty());

        engine.emit(event("die", ATTRIBUTES));
        await().atMost(Duration.ofSeconds(5)).until(() -> engine.inspects.get() == 1);
        engine.emit(event("destroy", ATTRIBUTES));
        engine.releaseHangs();

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> sink.size() == 1);
        assertThat(sink).singleElement()
                .satisfies(r -> assertThat(r.getErrorCategory()).isEqualTo(ErrorCategory.CONTAINER_GONE));
    }

    @Test
    void shouldReportADestroyedContainerAsGoneFromTheEventAlone() {
        watcher.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !engine.listeners.isEmpty());

        engine.emit(event("destroy", ATTRIBUTES));

        assertThat(sink).singleElement().satisfies(r -> {
            assertThat(r.getSessionId()).isEqualTo("session-a");
            assertThat(r.getContainerName()).isEqualTo("web-a");
            assertThat(r.getStatus()).isEqualTo(HealthStatus.FAILED);
            assertThat(r.getErrorCategory()).isEqualTo(ErrorCategory.CONTAINER_GONE);
        });
        assertThat(engine.inspects.get()).isZero();
    }

    @Test
    void shouldIgnoreEventsOfContainersWithoutSession() {
        watcher.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !engine.listeners.isEmpty());

        engine.emit(event("destroy", Map.of("name", "other")));

        assertThat(sink).isEmpty();
        assertThat(watcher.eventsHandled()).isZero();
    }

    /** An opted-out session is still shown, so its end must be reported too (else it would linger forever). */
    @Test
    void shouldReportTheEndOfAContainerThatOptedOut() {
        watcher.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !engine.listeners.isEmpty());

        engine.emit(event("destroy", Map.of(LABEL, "session-a", "fleet-health.enabled", "false")));

        assertThat(sink).singleElement().satisfies(r -> {
            assertThat(r.getErrorCategory()).isEqualTo(ErrorCategory.CONTAINER_GONE);
            assertThat(r.getMetadata()).containsEntry("fleet-health.enabled", "false");
        });
        assertThat(watcher.eventsHandled()).isEqualTo(1);
    }

    @Test
    void shouldSubscribeAgainAfterTheStreamIsLostAndAfterFailedAttempts() {
        watcher.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> watcher.subscriptions() == 1);
        engine.failingSubscriptions.set(3);

        engine.dropStreams();

        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.subscriptions() == 2);
        assertThat(engine.failingSubscriptions.get()).as("every refused attempt was retried").isZero();
        engine.emit(event("destroy", ATTRIBUTES));
        assertThat(sink).hasSize(1);
        assertThat(engine.listeners).as("exactly one open stream").hasSize(1);
    }
}

package io.fleethealth.processor.topology;

import static io.fleethealth.processor.topology.TopologyFixture.T0;
import static io.fleethealth.processor.topology.TopologyFixture.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.contract.labels.Labels;
import io.fleethealth.events.AgentHeartbeat;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.processor.decision.SessionState;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The counts behind GET /health follow every decision and always equal a scan of the stores. */
class LiveCountsTest {

    private static final HealthStatus[] PROBED = {HealthStatus.HEALTHY, HealthStatus.UNHEALTHY, HealthStatus.FAILED};

    private final TopologyFixture fixture = new TopologyFixture();
    private final TestInputTopic<String, HealthCheckResult> checks = fixture.input(Topics.HEALTH_CHECKS);

    @AfterEach
    void close() {
        fixture.close();
    }

    private void pipe(HealthCheckResult check) {
        checks.pipeInput(check.getSessionId(), check, check.getProbeTime());
    }

    private Map<HealthStatus, Long> scan() {
        Map<HealthStatus, Long> counts = new EnumMap<>(HealthStatus.class);
        for (HealthStatus status : HealthStatus.values()) {
            counts.put(status, 0L);
        }
        KeyValueStore<String, SessionState> store = fixture.driver.getKeyValueStore(StoreNames.SESSIONS);
        try (KeyValueIterator<String, SessionState> all = store.all()) {
            all.forEachRemaining(entry -> counts.merge(entry.value.status(), 1L, Long::sum));
        }
        return counts;
    }

    @Test
    void shouldCountEverySessionOnceByItsCurrentStatus() {
        pipe(check("s1", "a0", T0, HealthStatus.HEALTHY));
        pipe(check("s2", "b0", T0, HealthStatus.UNHEALTHY));
        for (int i = 0; i < 3; i++) {
            pipe(check("s3", "c" + i, T0.plusSeconds(30L * i), HealthStatus.FAILED));
        }

        assertThat(fixture.counts.sessions().byKind()).containsEntry(HealthStatus.HEALTHY, 1L)
                .containsEntry(HealthStatus.UNHEALTHY, 1L)
                .containsEntry(HealthStatus.RESTARTING, 1L)
                .containsEntry(HealthStatus.FAILED, 0L)
                .containsEntry(HealthStatus.UNKNOWN, 0L);
        assertThat(fixture.counts.sessions().partitions()).containsExactly(0);
    }

    @Test
    void shouldForgetAnEndedSession() {
        pipe(check("s1", "a0", T0, HealthStatus.HEALTHY));
        pipe(check("s2", "b0", T0, HealthStatus.HEALTHY));
        pipe(HealthCheckResult.newBuilder(check("s1", "a1", T0.plusSeconds(30), HealthStatus.UNKNOWN))
                .setErrorCategory(ErrorCategory.CONTAINER_GONE).build());

        assertThat(fixture.counts.sessions().byKind()).containsEntry(HealthStatus.HEALTHY, 1L).isEqualTo(scan());
    }

    @Test
    void shouldEqualAScanOfTheStoreAfterManyRandomChecks() {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            String session = "s" + random.nextInt(60);
            HealthCheckResult check = check(session, "k" + i, T0.plusSeconds(i), PROBED[random.nextInt(PROBED.length)]);
            if (random.nextInt(50) == 0) {
                check = HealthCheckResult.newBuilder(check).setStatus(HealthStatus.UNKNOWN)
                        .setErrorCategory(ErrorCategory.CONTAINER_GONE).build();
            }
            pipe(check);
            if (i % 97 == 0) {
                assertThat(fixture.counts.sessions().byKind()).as("after check %d", i).isEqualTo(scan());
            }
        }
        assertThat(fixture.counts.sessions().byKind()).isEqualTo(scan());
        assertThat(scan().values().stream().mapToLong(Long::longValue).sum()).isPositive();
    }

    private Map<HealthStatus, Long> scanNotManaged() {
        Map<HealthStatus, Long> counts = new EnumMap<>(HealthStatus.class);
        for (HealthStatus status : HealthStatus.values()) {
            counts.put(status, 0L);
        }
        KeyValueStore<String, SessionState> store = fixture.driver.getKeyValueStore(StoreNames.SESSIONS);
        try (KeyValueIterator<String, SessionState> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (!entry.value.managed()) {
                    counts.merge(entry.value.status(), 1L, Long::sum);
                }
            });
        }
        return counts;
    }

    /** fleet_sessions{managed="false"}: containers labelled fleet-health.enabled=false, as they come and go. */
    @Test
    void shouldCountSessionsThatAreNotManagedApartAndEqualAScan() {
        Random random = new Random(7);
        for (int i = 0; i < 1_000; i++) {
            String session = "s" + random.nextInt(30);
            HealthCheckResult check = check(session, "k" + i, T0.plusSeconds(i), PROBED[random.nextInt(PROBED.length)]);
            Map<String, String> labels = new java.util.HashMap<>(check.getMetadata());
            labels.put(Labels.ENABLED, random.nextInt(3) == 0 ? "false" : "true");
            check = HealthCheckResult.newBuilder(check).setMetadata(labels).build();
            if (random.nextInt(50) == 0) {
                check = HealthCheckResult.newBuilder(check).setStatus(HealthStatus.UNKNOWN)
                        .setErrorCategory(ErrorCategory.CONTAINER_GONE).build();
            }
            pipe(check);
            if (i % 53 == 0) {
                assertThat(fixture.counts.notManagedSessions().byKind()).as("after check %d", i).isEqualTo(scanNotManaged());
            }
        }
        assertThat(fixture.counts.notManagedSessions().byKind()).isEqualTo(scanNotManaged());
        assertThat(fixture.counts.sessions().byKind()).isEqualTo(scan());
        assertThat(scanNotManaged().values().stream().mapToLong(Long::longValue).sum()).isPositive();
    }

    @Test
    void shouldCountHostsKnownAndSilentAsHeartbeatsComeAndStop() {
        TestInputTopic<String, AgentHeartbeat> heartbeats = fixture.input(Topics.AGENT_HEARTBEATS);
        heartbeats.pipeInput("host-a", TopologyFixture.heartbeat("host-a", T0), T0);
        heartbeats.pipeInput("host-b", TopologyFixture.heartbeat("host-b", T0), T0);
        heartbeats.pipeInput("host-b", TopologyFixture.heartbeat("host-b", T0.plusSeconds(1)), T0.plusSeconds(1));
        assertThat(fixture.counts.hosts().byKind()).containsEntry(FleetCounts.HostLiveness.LIVE, 2L)
                .containsEntry(FleetCounts.HostLiveness.SILENT, 0L);

        // host-a goes silent, host-b keeps sending
        for (int i = 1; i <= 9; i++) {
            fixture.driver.advanceWallClockTime(Duration.ofSeconds(15));
            heartbeats.pipeInput("host-b", TopologyFixture.heartbeat("host-b", T0.plusSeconds(15L * i)), T0.plusSeconds(15L * i));
        }
        assertThat(fixture.counts.hosts().byKind()).containsEntry(FleetCounts.HostLiveness.LIVE, 1L)
                .containsEntry(FleetCounts.HostLiveness.SILENT, 1L);

        // host-a is back
        heartbeats.pipeInput("host-a", TopologyFixture.heartbeat("host-a", T0.plusSeconds(200)), T0.plusSeconds(200));
        assertThat(fixture.counts.hosts().byKind()).containsEntry(FleetCounts.HostLiveness.LIVE, 2L)
                .containsEntry(FleetCounts.HostLiveness.SILENT, 0L);
    }
}

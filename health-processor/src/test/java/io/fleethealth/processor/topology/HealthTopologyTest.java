package io.fleethealth.processor.topology;

import static io.fleethealth.processor.topology.TopologyFixture.T0;
import static io.fleethealth.processor.topology.TopologyFixture.check;
import static io.fleethealth.processor.topology.TopologyFixture.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.SessionStatus;
import io.fleethealth.processor.decision.SessionState;
import io.fleethealth.processor.state.CheckSummary;
import io.fleethealth.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthTopologyTest {

    private final TopologyFixture fixture = new TopologyFixture();
    private final TestInputTopic<String, HealthCheckResult> checks = fixture.input(Topics.HEALTH_CHECKS);

    @AfterEach
    void close() {
        fixture.close();
    }

    private void pipe(HealthCheckResult check) {
        checks.pipeInput(check.getSessionId(), check, check.getProbeTime());
    }

    @Test
    void shouldIssueOneRestartCommandAfterThreeConsecutiveFailures() {
        for (int i = 0; i < 3; i++) {
            pipe(check("s1", "c" + i, T0.plusSeconds(30L * i), HealthStatus.FAILED));
        }

        List<TestRecord<String, RestartCommand>> commands = fixture.output(Topics.RESTART_COMMANDS).readRecordsToList();
        assertThat(commands).hasSize(1);
        RestartCommand command = commands.get(0).value();
        assertThat(commands.get(0).key()).isEqualTo("s1");
        assertThat(command.getAttempt()).isEqualTo(1);
        assertThat(command.getHostId()).isEqualTo("host-a");
        assertThat(command.getContainerId()).isEqualTo("c-s1");
        assertThat(command.getIssuedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(command.getNotBefore()).isEqualTo(T0.plusSeconds(65));
        assertThat(commands.get(0).timestamp()).as("stamped in event time").isEqualTo(T0.plusSeconds(60).toEpochMilli());

        List<SessionStatus> statuses = fixture.values(Topics.SESSION_STATUS);
        assertThat(statuses).extracting(SessionStatus::getStatus).first().isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(statuses).extracting(SessionStatus::getStatus).last().isEqualTo(HealthStatus.RESTARTING);
        assertThat(fixture.values(Topics.AUDIT)).extracting(AuditEvent::getAction).contains(AuditAction.COMMAND_ISSUED);
        assertThat(fixture.values(Topics.ALERTS)).anySatisfy(alert -> {
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(alert.getLabels()).containsEntry("session_id", "s1");
        });
    }

    @Test
    void shouldMarkRestartsAndOperatorActionsForTheTimeline() {
        for (int i = 0; i < 3; i++) {
            pipe(check("s1", "c" + i, T0.plusSeconds(30L * i), HealthStatus.FAILED));
        }
        io.fleethealth.events.SessionControl pause = io.fleethealth.events.SessionControl.newBuilder(
                        io.fleethealth.serde.SampleEvents.sessionControl())
                .setSessionId("s1").setControlId("ctl-pause").setActor("alice").setRequestedAt(T0.plusSeconds(70)).build();
        fixture.input(Topics.SESSION_CONTROL).pipeInput("s1", pause, T0.plusSeconds(70));

        WindowStore<String, io.fleethealth.processor.state.SessionMark> marks =
                fixture.driver.getWindowStore(StoreNames.SESSION_MARKS);
        List<io.fleethealth.processor.state.SessionMark> kept = new ArrayList<>();
        try (var it = marks.fetch("s1", Instant.EPOCH, T0.plus(Duration.ofDays(1)))) {
            it.forEachRemaining(kv -> kept.add(kv.value));
        }
        assertThat(kept).extracting(io.fleethealth.processor.state.SessionMark::action)
                .containsExactly("COMMAND_ISSUED", "OPERATOR_PAUSE");
        assertThat(kept.get(0).time()).isEqualTo(T0.plusSeconds(60));
        assertThat(kept.get(1).actor()).isEqualTo("alice");
    }

    @Test
    void shouldKeepSessionStateInTheStoreAndCheckHistoryInTheWindowStore() {
        pipe(check("s1", "c0", T0, HealthStatus.HEALTHY));
        pipe(check("s1", "c1", T0.plusSeconds(30), HealthStatus.UNHEALTHY));
        pipe(check("s1", "c1", T0.plusSeconds(30), HealthStatus.UNHEALTHY)); // duplicate check id

        KeyValueStore<String, SessionState> sessions = fixture.driver.getKeyValueStore(StoreNames.SESSIONS);
        assertThat(sessions.get("s1").status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(sessions.get("s1").consecutiveFailures()).isEqualTo(1);

        WindowStore<String, CheckSummary> history = fixture.driver.getWindowStore(StoreNames.CHECK_HISTORY);
        assertThat(historyOf(history, "s1")).extracting(CheckSummary::status)
                .as("the duplicate is not recorded twice")
                .containsExactly(HealthStatus.HEALTHY, HealthStatus.UNHEALTHY);
    }

    @Test
    void shouldDropCheckHistoryOlderThanItsRetention() {
        pipe(check("s1", "c0", T0, HealthStatus.HEALTHY));
        // Stream time moves well past the 24 h retention (plus a segment) with a later check.
        pipe(check("s1", "c1", T0.plus(Duration.ofHours(40)), HealthStatus.HEALTHY));

        WindowStore<String, CheckSummary> history = fixture.driver.getWindowStore(StoreNames.CHECK_HISTORY);
        assertThat(historyOf(history, "s1")).extracting(CheckSummary::time)
                .containsExactly(T0.plus(Duration.ofHours(40)));
    }

    @Test
    void shouldSendUndecodableAndInvalidRecordsToTheDeadLetterTopicAndCarryOn() {
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        fixture.rawInput(Topics.HEALTH_CHECKS).pipeInput("s1", garbage, T0);
        HealthCheckResult misKeyed = check("s2", "c0", T0, HealthStatus.FAILED);
        checks.pipeInput("someone-else", misKeyed, T0);
        HealthCheckResult fromTheFuture = check("s3", "c0", T0.plus(Duration.ofDays(1)), HealthStatus.FAILED);
        checks.pipeInput("s3", fromTheFuture, T0);
        pipe(check("s4", "c0", T0, HealthStatus.UNHEALTHY));

        List<TestRecord<String, byte[]>> dead = fixture.driver.createOutputTopic(Topics.HEALTH_CHECKS_DLQ.name(),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer()).readRecordsToList();
        assertThat(dead).hasSize(3);
        assertThat(dead.get(0).value()).as("the original bytes are kept").isEqualTo(garbage);
        assertThat(header(dead.get(0).headers(), DeadLetter.REASON_HEADER)).isEqualTo(DeadLetter.UNDESERIALIZABLE);
        assertThat(header(dead.get(0).headers(), DeadLetter.SOURCE_TOPIC_HEADER)).isEqualTo(Topics.HEALTH_CHECKS.name());
        assertThat(header(dead.get(1).headers(), DeadLetter.REASON_HEADER)).isEqualTo(DeadLetter.INVALID);
        assertThat(header(dead.get(1).headers(), DeadLetter.DETAIL_HEADER)).contains("differs from session id");
        assertThat(header(dead.get(2).headers(), DeadLetter.DETAIL_HEADER)).contains("after the record's timestamp");
        assertThat(fixture.listener.deadLetters).containsEntry(Topics.HEALTH_CHECKS.name(), 3);

        assertThat(fixture.values(Topics.SESSION_STATUS)).extracting(SessionStatus::getSessionId)
                .as("processing went on after the bad records").containsExactly("s4");
    }

    @Test
    void shouldEndTheSessionWithATombstoneWhenTheContainerIsGone() {
        pipe(check("s1", "c0", T0, HealthStatus.HEALTHY));
        HealthCheckResult gone = HealthCheckResult.newBuilder(check("s1", "c1", T0.plusSeconds(30), HealthStatus.UNKNOWN))
                .setErrorCategory(io.fleethealth.events.ErrorCategory.CONTAINER_GONE).build();
        pipe(gone);

        List<TestRecord<String, SessionStatus>> statuses = fixture.output(Topics.SESSION_STATUS).readRecordsToList();
        assertThat(statuses).last().satisfies(last -> {
            assertThat(last.key()).isEqualTo("s1");
            assertThat(last.value()).as("tombstone").isNull();
        });
        KeyValueStore<String, SessionState> sessions = fixture.driver.getKeyValueStore(StoreNames.SESSIONS);
        assertThat(sessions.get("s1")).as("state dropped").isNull();
        assertThat(fixture.values(Topics.AUDIT)).extracting(AuditEvent::getAction).contains(AuditAction.SESSION_ENDED);
    }

    @Test
    void shouldRaiseOneHostAlertWhenHeartbeatsStopAndKeepItsSessionsQuiet() {
        TestInputTopic<String, io.fleethealth.events.AgentHeartbeat> heartbeats = fixture.input(Topics.AGENT_HEARTBEATS);
        heartbeats.pipeInput("host-a", heartbeat("host-a", T0), T0);
        heartbeats.pipeInput("host-b", heartbeat("host-b", T0), T0);
        pipe(check("a1", "c0", T0, HealthStatus.HEALTHY));
        pipe(check("a2", "c0", T0, HealthStatus.HEALTHY));
        HealthCheckResult onB = HealthCheckResult.newBuilder(check("b1", "c0", T0, HealthStatus.HEALTHY))
                .setHostId("host-b").build();
        pipe(onB);
        fixture.values(Topics.ALERTS); // drain

        // host-b keeps sending heartbeats but its session's checks stop; host-a goes silent altogether.
        for (int i = 1; i <= 8; i++) {
            fixture.driver.advanceWallClockTime(Duration.ofSeconds(15));
            heartbeats.pipeInput("host-b", heartbeat("host-b", T0.plusSeconds(15L * i)), T0.plusSeconds(15L * i));
        }
        // The global store of host alerts is fed through its topic: let the stale scan run once more.
        fixture.driver.advanceWallClockTime(Duration.ofSeconds(15));

        List<HealthAlert> alerts = fixture.values(Topics.ALERTS);
        assertThat(alerts).filteredOn(a -> "HostHeartbeatsStopped".equals(a.getLabels().get("alertname")))
                .singleElement().satisfies(a -> assertThat(a.getLabels()).containsEntry("host_id", "host-a"));
        assertThat(alerts).filteredOn(a -> "SessionStale".equals(a.getLabels().get("alertname")))
                .as("only the session of the live host alerts on its own")
                .extracting(a -> a.getLabels().get("session_id")).containsExactly("b1");
        assertThat(fixture.values(Topics.HOST_ALERTS)).extracting(a -> a.getLabels().get("host_id")).containsExactly("host-a");

        KeyValueStore<String, SessionState> sessions = fixture.driver.getKeyValueStore(StoreNames.SESSIONS);
        assertThat(List.of("a1", "a2", "b1")).allSatisfy(id ->
                assertThat(sessions.get(id).status()).as(id).isEqualTo(HealthStatus.UNKNOWN));
        assertThat(fixture.values(Topics.RESTART_COMMANDS)).as("silence never restarts").isEmpty();
    }

    @Test
    void shouldResolveTheHostAlertWhenHeartbeatsResume() {
        TestInputTopic<String, io.fleethealth.events.AgentHeartbeat> heartbeats = fixture.input(Topics.AGENT_HEARTBEATS);
        heartbeats.pipeInput("host-a", heartbeat("host-a", T0), T0);
        fixture.driver.advanceWallClockTime(Duration.ofMinutes(3));
        heartbeats.pipeInput("host-a", heartbeat("host-a", T0.plus(Duration.ofMinutes(3))), T0.plus(Duration.ofMinutes(3)));

        List<HealthAlert> alerts = fixture.values(Topics.ALERTS);
        assertThat(alerts).extracting(HealthAlert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(alerts.get(0).getFingerprint()).isEqualTo(alerts.get(1).getFingerprint());
        assertThat(alerts.get(1).getEndsAt()).isNotNull();
    }

    private static List<CheckSummary> historyOf(WindowStore<String, CheckSummary> store, String sessionId) {
        List<CheckSummary> out = new ArrayList<>();
        try (WindowStoreIterator<CheckSummary> it = store.fetch(sessionId, Instant.EPOCH, T0.plus(Duration.ofDays(30)))) {
            it.forEachRemaining((KeyValue<Long, CheckSummary> kv) -> out.add(kv.value));
        }
        return out;
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unused")
    private static final Map<String, String> NO_ENV = Map.of();
}

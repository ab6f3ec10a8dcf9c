package io.fleethealth.processor.state;

import static io.fleethealth.processor.decision.Fixture.at;
import static io.fleethealth.processor.decision.Fixture.check;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fleethealth.events.ControlAction;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.processor.decision.ActiveAlert;
import io.fleethealth.processor.decision.AlertKind;
import io.fleethealth.processor.decision.Decision;
import io.fleethealth.processor.decision.IdConflict;
import io.fleethealth.processor.decision.PendingRestart;
import io.fleethealth.processor.decision.SessionDriver;
import io.fleethealth.processor.decision.SessionEvent;
import io.fleethealth.processor.decision.SessionState;
import io.fleethealth.processor.decision.SessionStateMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionStateCodecTest {

    private final SessionStateCodec codec = new SessionStateCodec();

    @Test
    void shouldRoundTripAStateWithEveryFieldSet() {
        SessionDriver session = new SessionDriver();
        session.check(check(0).healthy());
        session.control(ControlAction.PAUSE, 5);
        session.control(ControlAction.RESUME, 15);
        session.checks(30, 3, c -> c.exited());
        session.check(check(100).dockerUnreachable());
        SessionState state = session.state;
        assertThat(state.pending()).isNotNull();
        assertThat(state.activeAlerts()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(state.recentCheckIds()).isNotEmpty();

        SessionState decoded = codec.decode(codec.encode(state));

        assertThat(decoded).isEqualTo(state);
    }

    @Test
    void shouldRoundTripSubMillisecondInstantsAndGrace() {
        SessionState state = SessionState.newSession("s", Instant.parse("2025-03-01T12:00:00.123456789Z"))
                .host("h", "c", "n").restartAttempts(2, 1).lastProbeTime(at(1)).build();

        assertThat(codec.decode(codec.encode(state))).isEqualTo(state);
    }

    @Test
    void shouldReadAStateWithFieldsItDoesNotKnowAndWithoutOptionalOnes() {
        String json = "{\"sessionId\":\"s-1\",\"status\":\"HEALTHY\",\"lastTransitionAt\":\"2025-03-01T12:00:00Z\","
                + "\"fieldOfTheFuture\":42}";

        SessionState state = codec.decode(json.getBytes(StandardCharsets.UTF_8));

        assertThat(state.sessionId()).isEqualTo("s-1");
        assertThat(state.recentCheckIds()).isEmpty();
        assertThat(state.activeAlerts()).isEmpty();
        assertThat(state.pending()).isNull();
        assertThat(state.hostId()).isEmpty();
    }

    @Test
    void shouldRefuseBytesThatAreNotASessionState() {
        assertThatThrownBy(() -> codec.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldDecideTheSameWithADecodedStateAsWithTheOriginal() {
        SessionDriver session = new SessionDriver();
        session.checks(0, 2, c -> c.unhealthy());
        SessionStateMachine machine = session.machine;
        SessionEvent next = check(60).unhealthy().event();

        Decision original = machine.decide(session.state, next);
        Decision afterStore = machine.decide(codec.decode(codec.encode(session.state)), next);

        assertThat(afterStore).isEqualTo(original);
        assertThat(afterStore.commands()).hasSize(1);
    }

    @Test
    void shouldRoundTripEveryFieldSetByHandIncludingPendingRestartAndAlerts() {
        SessionState state = everyFieldSet();

        SessionState decoded = codec.decode(codec.encode(state));

        assertThat(decoded).isEqualTo(state);
        assertThat(decoded.pending()).isEqualTo(state.pending());
        assertThat(decoded.paused()).isTrue();
        assertThat(decoded.stale()).isTrue();
        assertThat(decoded.unmanaged()).isTrue();
        assertThat(decoded.invalidOverrides()).isEqualTo("fleet-health.stop-timeout='soon'");
        assertThat(decoded.recentFailureTimes()).containsExactlyElementsOf(state.recentFailureTimes());
        assertThat(decoded.activeAlerts()).containsExactlyElementsOf(state.activeAlerts());
    }

    @Test
    void shouldRoundTripARestartHeldByTheBrake() {
        SessionState state = everyFieldSet();
        SessionState held = state.toBuilder().pending(state.pending().asHeld()).build();

        assertThat(codec.decode(codec.encode(held)).pending().held()).isTrue();
        assertThat(codec.decode(codec.encode(state)).pending().held()).as("not held stays not held").isFalse();
    }

    @Test
    void shouldRoundTripNullFieldsAndEmptyLists() {
        SessionState state = new SessionState("s", null, null, null, HealthStatus.UNKNOWN, null, null, at(0), 0, null,
                null, 0, null, 0, 0, null, null, false, false, null, null, null, null, null, null, null, false, null,
                0, null);

        SessionState decoded = codec.decode(codec.encode(state));

        assertThat(decoded).isEqualTo(state);
        assertThat(decoded.previousStatus()).isNull();
        assertThat(decoded.lastProbeTime()).isNull();
        assertThat(decoded.lastCheckStatus()).isNull();
        assertThat(decoded.lastErrorMessage()).isNull();
        assertThat(decoded.pending()).isNull();
        assertThat(decoded.recentCheckIds()).isEmpty();
        assertThat(decoded.recentFailureTimes()).isEmpty();
    }

    @Test
    void shouldRoundTripInstantsAtTheEdgesOfTheirRange() {
        for (Instant t : List.of(Instant.EPOCH, Instant.ofEpochMilli(-1_500), Instant.ofEpochSecond(-1, 1),
                Instant.MIN, Instant.MAX, Instant.parse("2025-03-01T12:00:00.000000001Z"))) {
            SessionState state = SessionState.newSession("s", t).lastProbeTime(t).build();

            assertThat(codec.decode(codec.encode(state))).as("instant %s", t).isEqualTo(state);
        }
    }

    @Test
    void shouldWriteTheFormatVersionFirst() {
        assertThat(codec.encode(everyFieldSet())[0]).isEqualTo(SessionStateCodec.VERSION);
    }

    @Test
    void shouldStillReadTheEarlierBinaryVersions() {
        SessionState state = everyFieldSet().toBuilder().unmanaged(false).build();
        SessionState withoutInvalid = new SessionState(state.sessionId(), state.hostId(), state.containerId(),
                state.containerName(), state.status(), state.previousStatus(), state.reason(), state.lastTransitionAt(),
                state.consecutiveFailures(), state.failureRunStartedAt(), state.recentFailureTimes(),
                state.consecutiveSuccesses(), state.healthySince(), state.episode(), state.restartAttempts(),
                state.pending(), state.graceUntil(), state.paused(), state.stale(), state.lastProbeTime(),
                state.lastCheckStatus(), state.recentCheckIds(), state.recentControlIds(), state.lastErrorCategory(),
                state.lastErrorMessage(), state.activeAlerts(), false, null, 0, null);
        byte[] version3 = codec.encode(withoutInvalid);
        // Version 2 is version 3 without restartsReported (varint 0) and "no conflict" (0); version 1 is
        // version 2 without the trailing invalid overrides (a null string: one 0 byte).
        assertThat(Arrays.copyOfRange(version3, version3.length - 3, version3.length)).containsExactly(0, 0, 0);
        byte[] version2 = Arrays.copyOf(version3, version3.length - 2);
        version2[0] = 2;
        byte[] version1 = Arrays.copyOf(version3, version3.length - 3);
        version1[0] = 1;

        for (byte[] old : List.of(version1, version2)) {
            SessionState decoded = codec.decode(old);
            // 2 attempts issued, one still pending: one answered, as the old budget counted it.
            assertThat(decoded.restartsReported()).isEqualTo(1);
            assertThat(decoded.conflict()).isNull();
            assertThat(decoded.toBuilder().restartsReported(0).build()).isEqualTo(withoutInvalid);
        }
    }

    @Test
    void shouldRefuseAFormatVersionItDoesNotKnow() {
        byte[] bytes = codec.encode(everyFieldSet());
        bytes[0] = 99;

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format version 99");
    }

    @Test
    void shouldRefuseTruncatedOrEmptyBytes() {
        byte[] bytes = codec.encode(everyFieldSet());

        for (int length : new int[] {0, 1, bytes.length / 2, bytes.length - 1}) {
            assertThatThrownBy(() -> codec.decode(Arrays.copyOf(bytes, length)))
                    .as("first %d of %d bytes", length, bytes.length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldReadTheJsonThatEarlierProcessorsStoredSoThatOldChangelogsRestore() throws IOException {
        SessionState state = everyFieldSet();

        SessionState decoded = codec.decode(legacyJsonWriter().writeValueAsBytes(state));

        assertThat(decoded).isEqualTo(state);
    }

    @Test
    void shouldEncodeInFarFewerBytesThanTheJson() throws IOException {
        SessionState state = everyFieldSet();

        assertThat(codec.encode(state).length).isLessThan(legacyJsonWriter().writeValueAsBytes(state).length / 2);
    }

    private static SessionState everyFieldSet() {
        PendingRestart pending = new PendingRestart("cmd-7", 3, 2, at(100), at(105),
                Instant.parse("2025-03-01T12:05:00.000000500Z"), 10);
        List<ActiveAlert> alerts = List.of(
                new ActiveAlert(AlertKind.SESSION_UNHEALTHY, "h-1", at(90), "unhealthy", "three failures"),
                new ActiveAlert(AlertKind.DOCKER_UNREACHABLE, "h-1", at(95), "engine", "ünïcødé — 引擎"));
        return new SessionState("session-1", "h-1", "c-1", "web", HealthStatus.UNHEALTHY, HealthStatus.HEALTHY,
                "threshold reached", at(90), 3, at(30), List.of(at(30), at(60), at(90)), 0, at(0), 3, 2, pending,
                at(200), true, true, at(100), HealthStatus.UNHEALTHY, List.of("ck-1", "ck-2", "ck-3"),
                List.of("ctl-1", "ctl-2"), ErrorCategory.DOCKER_UNREACHABLE, "connection refused", alerts, true,
                "fleet-health.stop-timeout='soon'", 1, new IdConflict("h-2", "c-2", "web-copy", at(95), at(99)));
    }

    /** The JSON the first processors stored: Jackson with ISO-8601 instants. */
    private static ObjectMapper legacyJsonWriter() {
        return new ObjectMapper().registerModule(new SimpleModule("instants")
                .addSerializer(Instant.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
                            throws IOException {
                        gen.writeString(value.toString());
                    }
                }));
    }
}

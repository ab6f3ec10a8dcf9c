package io.fleethealth.processor.decision;

import static io.fleethealth.processor.decision.Fixture.at;
import static io.fleethealth.processor.decision.Fixture.check;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.events.ControlAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
}

package io.fleethealth.processor.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.processor.brake.BrakeEvent;
import io.fleethealth.processor.brake.BrakeLabels;
import io.fleethealth.processor.brake.BrakeReport;
import io.fleethealth.processor.brake.BrakeSettings;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.brake.BrakeSignals;
import io.fleethealth.processor.brake.GroupKey;
import io.fleethealth.processor.brake.RestartBrake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The brake fed by the real per-session decisions, as the replay's what-if and the Streams shell feed it. */
class BrakeFedByDecisionsTest {

    private static final BrakeSettings BRAKE = new BrakeSettings(true, Duration.ofMinutes(2), 5, 30,
            Duration.ofMinutes(5), 2, 20, 5);

    private final SessionStateMachine machine = new SessionStateMachine(ProcessorConfig.defaultDecisionSettings());
    private final Map<String, SessionState> states = new HashMap<>();
    private final RestartBrake brake = new RestartBrake(BRAKE);
    private final List<BrakeEvent> events = new ArrayList<>();
    private int restartCommands;

    private void check(String session, long seconds, UnaryOperator<Fixture.CheckBuilder> how) {
        Fixture.CheckBuilder check = how.apply(Fixture.check(seconds).session(session)
                .container(String.format("%064d", Math.abs(session.hashCode()))));
        SessionEvent event = check.event();
        Decision decision = machine.decide(states.get(session), event);
        if (decision.stateChanged()) {
            states.put(session, decision.state());
        }
        restartCommands += decision.commands().size();
        events.addAll(BrakeSignals.feed(brake, session, event, decision));
    }

    /** Every session probed once per interval (30 s) from {@code from}, for {@code rounds} rounds. */
    private void rounds(List<String> sessions, long from, int rounds, UnaryOperator<Fixture.CheckBuilder> how) {
        for (int r = 0; r < rounds; r++) {
            for (String session : sessions) {
                check(session, from + r * 30L, how);
            }
        }
    }

    private static List<String> sessions(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("s" + i);
        }
        return ids;
    }

    @Test
    void shouldHoldTheRestartsOfTenContainersFailingTogetherUnderOneIncident() {
        List<String> ten = sessions(10);
        rounds(ten, 0, 2, c -> c.healthy());
        rounds(ten, 60, 4, c -> c.unhealthy());

        BrakeReport report = BrakeReport.of(events);
        assertThat(restartCommands).as("the decisions wanted restarts").isGreaterThanOrEqualTo(10);
        assertThat(report.incidents()).isEqualTo(1);
        assertThat(report.restartsHeld()).isEqualTo(10);
        assertThat(report.restartsIssuedDirectly()).isZero();
        assertThat(report.restartsReleased()).isZero();
        assertThat(brake.openIncidents()).singleElement()
                .satisfies(i -> assertThat(i.group()).isEqualTo(GroupKey.image("fleet-test/busybox:1")));
    }

    @Test
    void shouldReleaseThemWithinTheBudgetWhenAnOperatorReleasesTheIncident() {
        List<String> ten = sessions(10);
        rounds(ten, 0, 2, c -> c.healthy());
        rounds(ten, 60, 4, c -> c.unhealthy());

        events.addAll(brake.release(GroupKey.image("fleet-test/busybox:1"), "alice", Fixture.at(200)));

        BrakeReport report = BrakeReport.of(events);
        assertThat(report.restartsReleased()).isEqualTo(10);
        // One host, 2 restarts a minute: the tenth goes out four minutes after the release.
        assertThat(report.longestBudgetDelayMillis()).isEqualTo(Duration.ofMinutes(4).toMillis());
        assertThat(brake.held()).isEmpty();
    }

    @Test
    void shouldRestartOneContainerFailingAloneAsUsual() {
        List<String> ten = sessions(10);
        rounds(ten, 0, 2, c -> c.healthy());
        rounds(ten.subList(1, 10), 60, 4, c -> c.healthy());
        rounds(ten.subList(0, 1), 60, 4, c -> c.unhealthy());

        BrakeReport report = BrakeReport.of(events);
        assertThat(report.incidents()).isZero();
        assertThat(report.restartsHeld()).isZero();
        assertThat(report.restartsIssuedDirectly()).isEqualTo(restartCommands).isPositive();
    }

    @Test
    void shouldLeaveOptedOutContainersToTheirOwnDecisions() {
        List<String> ten = sessions(10);
        UnaryOperator<Fixture.CheckBuilder> optedOut = c -> c.label(BrakeLabels.BRAKE, "false");
        rounds(ten, 0, 2, c -> optedOut.apply(c.healthy()));
        rounds(ten, 60, 4, c -> optedOut.apply(c.unhealthy()));

        BrakeReport report = BrakeReport.of(events);
        assertThat(report.incidents()).isZero();
        assertThat(report.restartsIssuedDirectly()).isEqualTo(restartCommands).isGreaterThanOrEqualTo(10);
    }
}

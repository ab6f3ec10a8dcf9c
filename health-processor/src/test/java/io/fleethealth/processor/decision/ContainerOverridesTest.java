package io.fleethealth.processor.decision;

import static io.fleethealth.processor.decision.Fixture.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.HealthStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-container overrides from the check's metadata win over the defaults. */
class ContainerOverridesTest {

    private final SessionDriver session = new SessionDriver();

    @Test
    void shouldRestartAtOnceWhenTheContainerLowersTheThresholdToOne() {
        Decision first = session.check(check(0).unhealthy().label(ContainerOverrides.FAILURE_THRESHOLD, "1"));

        assertThat(first.commands()).hasSize(1);
    }

    @Test
    void shouldWaitLongerWhenTheContainerRaisesTheThreshold() {
        Decision third = session.checks(0, 3, c -> c.unhealthy().label(ContainerOverrides.FAILURE_THRESHOLD, "5"));
        assertThat(third.commands()).isEmpty();

        Decision fifth = session.checks(90, 2, c -> c.unhealthy().label(ContainerOverrides.FAILURE_THRESHOLD, "5"));

        assertThat(fifth.commands()).hasSize(1);
    }

    @Test
    void shouldNeverRestartNorAlertForAContainerThatOptedOut() {
        Decision last = session.checks(0, 8, c -> c.exited().label(ContainerOverrides.ENABLED, "false"));

        assertThat(session.allCommands()).isEmpty();
        assertThat(session.decisions).allSatisfy(d -> assertThat(d.alerts()).isEmpty());
        assertThat(session.state.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(session.state.reason()).contains("fleet-health.enabled=false");
        assertThat(last.counted(DecisionCounter.RESTART_WITHHELD_OPTED_OUT)).isTrue();
    }

    @Test
    void shouldCarryTheContainersStopTimeoutInTheCommand() {
        Decision third = session.checks(0, 3, c -> c.unhealthy().label(ContainerOverrides.STOP_TIMEOUT, "2"));

        assertThat(third.commands().get(0).getStopTimeoutSeconds()).isEqualTo(2);
    }

    @Test
    void shouldFallBackToTheDefaultAndCountAnUnreadableOverride() {
        Decision first = session.check(check(0).unhealthy().label(ContainerOverrides.FAILURE_THRESHOLD, "three"));
        session.check(check(30).unhealthy().label(ContainerOverrides.FAILURE_THRESHOLD, "0"));
        Decision third = session.check(check(60).unhealthy().label(ContainerOverrides.FAILURE_THRESHOLD, "three"));

        assertThat(first.counted(DecisionCounter.INVALID_OVERRIDE)).isTrue();
        assertThat(first.commands()).isEmpty();
        assertThat(third.commands()).as("default threshold 3").hasSize(1);
    }

    @Test
    void shouldReadEveryOverrideAndRejectOutOfRangeValues() {
        ContainerOverrides all = ContainerOverrides.from(Map.of(ContainerOverrides.FAILURE_THRESHOLD, " 4 ",
                ContainerOverrides.ENABLED, "FALSE", ContainerOverrides.STOP_TIMEOUT, "30"));
        ContainerOverrides none = ContainerOverrides.from(Map.of("com.docker.compose.project", "x"));
        ContainerOverrides bad = ContainerOverrides.from(Map.of(ContainerOverrides.STOP_TIMEOUT, "-1",
                ContainerOverrides.ENABLED, "maybe"));

        assertThat(all.failureThresholdOr(3)).isEqualTo(4);
        assertThat(all.enabled()).isFalse();
        assertThat(all.stopTimeoutOr(10)).isEqualTo(30);
        assertThat(all.invalid()).isFalse();
        assertThat(none.failureThresholdOr(3)).isEqualTo(3);
        assertThat(none.enabled()).isTrue();
        assertThat(bad.invalid()).isTrue();
        assertThat(bad.enabled()).as("an unreadable opt-out keeps the container managed").isTrue();
        assertThat(bad.stopTimeoutOr(10)).isEqualTo(10);
    }
}

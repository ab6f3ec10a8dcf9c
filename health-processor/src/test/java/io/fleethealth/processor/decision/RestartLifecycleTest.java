package io.fleethealth.processor.decision;

import io.fleethealth.processor.config.ProcessorConfig;

import static io.fleethealth.processor.decision.Fixture.at;
import static io.fleethealth.processor.decision.Fixture.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A restart from command to outcome: back-off, expiry, deterministic ids, pending and grace, and what
 * each outcome does. Defaults: interval 30 s, delay 5 s, grace 60 s, expiry not-before + 120 s.
 */
class RestartLifecycleTest {

    private final SessionDriver session = new SessionDriver();

    /** Three failures from {@code from} (one per interval), then the restart succeeds 10 s later. */
    private RestartCommand failAndRestart(long from) {
        RestartCommand command = session.checks(from, 3, c -> c.unhealthy()).commands().get(0);
        session.outcome(RestartResult.SUCCEEDED, from + 70);
        return command;
    }

    @Test
    void shouldDoubleTheBackOffWithEveryAttemptUpToTheCap() {
        DecisionSettings settings = ProcessorConfig.defaultDecisionSettings();

        assertThat(settings.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.backoff(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.backoff(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.backoff(7)).as("5 x 64 = 320 s, capped").isEqualTo(Duration.ofSeconds(300));
        assertThat(settings.backoff(1000)).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void shouldOrderTheNextAttemptWithTheDoubledBackOffAndItsExpiry() {
        failAndRestart(0);
        // grace ends at 70 + 60 = 130; failures from 150 count again
        RestartCommand second = session.checks(150, 3, c -> c.unhealthy()).commands().get(0);

        assertThat(second.getAttempt()).isEqualTo(2);
        assertThat(second.getEpisode()).isEqualTo(1);
        assertThat(second.getIssuedAt()).isEqualTo(at(210));
        assertThat(second.getNotBefore()).isEqualTo(at(220));
        assertThat(second.getExpiresAt()).isEqualTo(at(220 + 120));
    }

    @Test
    void shouldDeriveTheCommandIdFromTheInputOnly() {
        RestartCommand first = failAndRestart(0);
        RestartCommand replayed = new SessionDriver().checks(0, 3, c -> c.unhealthy()).commands().get(0);
        RestartCommand second = session.checks(150, 3, c -> c.unhealthy()).commands().get(0);
        String triggerOfFirst = "check:" + Fixture.check(60).unhealthy().build().getCheckId();

        assertThat(first.getCommandId()).isEqualTo(replayed.getCommandId())
                .isEqualTo(Ids.commandId(Fixture.SESSION, Fixture.CONTAINER_ID, 1, 1, triggerOfFirst));
        assertThat(second.getCommandId()).isNotEqualTo(first.getCommandId());
    }

    @Test
    void shouldNeverRepeatACommandIdWhenTheSessionStartsOverWhileItsContainerLives() {
        // First life: a restart the agent executes and remembers by id.
        RestartCommand firstLife = failAndRestart(0);
        // The state is lost (e.g. the main job wiped the broker); the same container fails again later.
        SessionDriver secondLife = new SessionDriver();
        RestartCommand again = secondLife.checks(3_600, 3, c -> c.unhealthy()).commands().get(0);

        assertThat(again.getEpisode()).isEqualTo(firstLife.getEpisode());
        assertThat(again.getAttempt()).isEqualTo(firstLife.getAttempt());
        assertThat(again.getContainerId()).isEqualTo(firstLife.getContainerId());
        assertThat(again.getCommandId()).as("a new life's command must not look executed to the agent")
                .isNotEqualTo(firstLife.getCommandId());
    }

    @Test
    void shouldNotCountFailuresWhileARestartIsPending() {
        session.checks(0, 3, c -> c.unhealthy());

        Decision whilePending = session.checks(90, 5, c -> c.unhealthy());

        assertThat(session.allCommands()).hasSize(1);
        assertThat(whilePending.counted(DecisionCounter.FAILURE_NOT_COUNTED_RESTARTING)).isTrue();
        assertThat(session.state.status()).isEqualTo(HealthStatus.RESTARTING);
        assertThat(session.state.consecutiveFailures()).isZero();
    }

    @Test
    void shouldNotCountFailuresDuringTheGraceAfterTheRestart() {
        failAndRestart(0);

        session.check(check(90).unhealthy());
        Decision lastInGrace = session.check(check(120).unhealthy());

        assertThat(lastInGrace.counted(DecisionCounter.FAILURE_NOT_COUNTED_RESTARTING)).isTrue();
        assertThat(session.state.status()).isEqualTo(HealthStatus.RESTARTING);
        assertThat(session.state.graceUntil()).isEqualTo(at(130));
        Decision afterGrace = session.check(check(150).unhealthy());
        assertThat(afterGrace.counted(DecisionCounter.FAILURE_COUNTED)).isTrue();
        assertThat(session.state.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(session.state.consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void shouldStartTheGraceAtTheExecutionTimeOfASucceededRestart() {
        session.checks(0, 3, c -> c.unhealthy());

        Decision outcome = session.outcome(RestartResult.SUCCEEDED, 70);

        assertThat(outcome.counted(DecisionCounter.OUTCOME_JOINED)).isTrue();
        assertThat(session.state.pending()).isNull();
        assertThat(session.state.graceUntil()).isEqualTo(at(130));
        assertThat(session.state.status()).isEqualTo(HealthStatus.RESTARTING);
        assertThat(session.state.restartAttempts()).isEqualTo(1);
    }

    @Test
    void shouldCountAFailedRestartAsAnAttemptUsedAndAlertIt() {
        session.checks(0, 3, c -> c.unhealthy());

        Decision failed = session.outcome(RestartResult.FAILED, 70);

        assertThat(session.state.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(session.state.restartAttempts()).isEqualTo(1);
        assertThat(session.state.graceUntil()).as("nothing restarted: no grace").isNull();
        assertThat(failed.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getLabels()).containsEntry("alertname", "RestartFailed");
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(alert.getAnnotations().get("description")).contains("failed: engine said no");
        });
        RestartCommand next = session.checks(90, 3, c -> c.unhealthy()).commands().get(0);
        assertThat(next.getAttempt()).isEqualTo(2);
    }

    @Test
    void shouldCountAnExpiredRestartAsAnAttemptUsedAndAlertIt() {
        session.checks(0, 3, c -> c.unhealthy());

        Decision expired = session.outcome(RestartResult.EXPIRED, 200);

        assertThat(session.state.restartAttempts()).isEqualTo(1);
        assertThat(session.state.pending()).isNull();
        assertThat(expired.alerts()).extracting(a -> a.getLabels().get("alertname")).containsExactly("RestartFailed");
    }

    @Test
    void shouldCountARejectedRestartAsAnAttemptUsedSoARefusingAgentEndsInFailed() {
        DecisionSettings settings = ProcessorConfig.defaultDecisionSettings().withMaxRestartAttempts(1);
        SessionDriver strict = new SessionDriver(settings);
        strict.checks(0, 3, c -> c.unhealthy());

        Decision rejected = strict.outcome(RestartResult.REJECTED, 70);
        strict.checks(90, 3, c -> c.unhealthy());

        assertThat(rejected.alerts()).extracting(a -> a.getLabels().get("alertname")).containsExactly("RestartFailed");
        assertThat(strict.state.status()).isEqualTo(HealthStatus.FAILED);
        assertThat(strict.allCommands()).hasSize(1);
    }

    @Test
    void shouldTreatARestartSomeoneElseAlreadyDidAsARestart() {
        session.checks(0, 3, c -> c.unhealthy());

        session.outcome(RestartResult.SKIPPED_ALREADY_RESTARTED, 70);

        assertThat(session.state.graceUntil()).isEqualTo(at(130));
        assertThat(session.state.status()).isEqualTo(HealthStatus.RESTARTING);
    }

    @Test
    void shouldIgnoreASecondOutcomeOfTheSameCommand() {
        String commandId = session.checks(0, 3, c -> c.unhealthy()).commands().get(0).getCommandId();
        session.outcome(RestartResult.SUCCEEDED, 70);
        SessionState afterFirst = session.state;

        Decision second = session.feed(new SessionEvent.OutcomeReceived(
                Fixture.outcome(commandId, RestartResult.FAILED, 75)));

        assertThat(second.counted(DecisionCounter.IGNORED_STALE_OUTCOME)).isTrue();
        assertThat(second.emitted()).isEmpty();
        assertThat(session.state).isSameAs(afterFirst);
    }

    @Test
    void shouldIgnoreAnOutcomeOfAnUnknownCommand() {
        session.checks(0, 3, c -> c.unhealthy());

        Decision foreign = session.feed(new SessionEvent.OutcomeReceived(
                Fixture.outcome("not-ours", RestartResult.SUCCEEDED, 70)));

        assertThat(foreign.counted(DecisionCounter.IGNORED_STALE_OUTCOME)).isTrue();
        assertThat(session.state.pending()).isNotNull();
    }

    @Test
    void shouldGiveUpACommandWithoutOutcomeLongAfterItsExpiry() {
        RestartCommand command = session.checks(0, 3, c -> c.unhealthy()).commands().get(0);
        // expires at 185; lost after 185 + 10 s stop timeout + 30 s interval = 225
        session.checks(90, 5, c -> c.unhealthy());
        assertThat(session.state.pending()).as("still waiting at 210").isNotNull();

        Decision lost = session.check(check(240).unhealthy());

        assertThat(lost.counted(DecisionCounter.COMMAND_LOST)).isTrue();
        assertThat(lost.audits()).anySatisfy(audit -> {
            assertThat(audit.getAction()).isEqualTo(AuditAction.COMMAND_EXPIRED);
            assertThat(audit.getCommandId()).isEqualTo(command.getCommandId());
        });
        assertThat(lost.alerts()).extracting(a -> a.getLabels().get("alertname")).contains("RestartFailed");
        assertThat(session.state.pending()).isNull();
        assertThat(session.state.consecutiveFailures()).as("the check that noticed counts").isEqualTo(1);
        RestartCommand next = session.checks(270, 2, c -> c.unhealthy()).commands().get(0);
        assertThat(next.getAttempt()).isEqualTo(2);
    }

    @Test
    void shouldResolveTheRestartFailedAlertWhenALaterRestartSucceeds() {
        session.checks(0, 3, c -> c.unhealthy());
        session.outcome(RestartResult.FAILED, 70);
        session.checks(90, 3, c -> c.unhealthy());

        Decision succeeded = session.outcome(RestartResult.SUCCEEDED, 170);

        assertThat(succeeded.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getLabels()).containsEntry("alertname", "RestartFailed");
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(alert.getEndsAt()).isEqualTo(at(170));
        });
    }
}

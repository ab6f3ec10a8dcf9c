package io.fleethealth.processor.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.ControlAction;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartResult;
import io.fleethealth.events.SessionControl;
import io.fleethealth.events.SessionStatus;
import io.fleethealth.processor.state.SessionStateCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random event sequences against the stated invariants. Each sequence has its own seed, printed on
 * failure; rerun one with {@code -Dfleet.decision.seed=<seed>}.
 */
class DecisionPropertyTest {

    private static final int SEQUENCES = Integer.getInteger("fleet.decision.sequences", 2000);
    private static final long MASTER_SEED = Long.getLong("fleet.decision.masterSeed", 0x5EED_F1EE7L);
    private static final Long SINGLE_SEED = Long.getLong("fleet.decision.seed");
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    @Test
    void shouldHoldEveryInvariantOverThousandsOfRandomEventSequences() {
        if (SINGLE_SEED != null) {
            runWithSeed(SINGLE_SEED);
            return;
        }
        Random seeds = new Random(MASTER_SEED);
        int commands = 0;
        int failedSessions = 0;
        for (int i = 0; i < SEQUENCES; i++) {
            Outcome outcome = runWithSeed(seeds.nextLong());
            commands += outcome.commands;
            failedSessions += outcome.failed ? 1 : 0;
        }
        // The generator must reach the interesting places, or the invariants prove little.
        assertThat(commands).as("restart commands issued over all sequences").isGreaterThan(SEQUENCES);
        assertThat(failedSessions).as("sequences that ended a session in FAILED").isGreaterThan(SEQUENCES / 20);
    }

    private record Outcome(int commands, boolean failed) {
    }

    private Outcome runWithSeed(long seed) {
        try {
            return new Sequence(seed).run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("Invariant broken for seed " + seed
                    + " (rerun with -Dfleet.decision.seed=" + seed + "): " + e.getMessage(), e);
        }
    }

    /** One random sequence: generated against the live machine, then replayed into a fresh one. */
    private static final class Sequence {
        private final Random random;
        private final DecisionSettings settings;
        private final SessionStateMachine machine;
        private final SessionStateCodec codec = new SessionStateCodec();
        private final List<SessionEvent> events = new ArrayList<>();
        private final List<Decision> decisions = new ArrayList<>();
        private final List<HealthCheckResult> recentChecks = new ArrayList<>();
        private final Map<String, String> commandKeys = new HashMap<>();
        private final Set<String> auditIds = new HashSet<>();
        private final List<Instant> countedFailuresSinceReset = new ArrayList<>();
        private SessionState state;
        private long clock;
        private int generation;
        private int checkSequence;
        private int controlSequence;
        private boolean everFailed;

        Sequence(long seed) {
            random = new Random(seed);
            int threshold = 1 + random.nextInt(4);
            int maxAttempts = random.nextInt(4);
            Duration grace = Duration.ofSeconds(random.nextInt(4) * 30L);
            settings = new DecisionSettings(INTERVAL, threshold, maxAttempts, Duration.ofSeconds(random.nextInt(11)),
                    Duration.ofSeconds(40), Duration.ofSeconds(120), grace, 1 + random.nextInt(2),
                    Duration.ofSeconds(60 + random.nextInt(600)), INTERVAL.multipliedBy(3), 10);
            machine = new SessionStateMachine(settings);
        }

        Outcome run() {
            int length = 20 + random.nextInt(150);
            for (int i = 0; i < length; i++) {
                SessionEvent event = nextEvent();
                SessionState before = state;
                Decision decision = machine.decide(before, event);
                checkInvariants(before, event, decision);
                events.add(event);
                decisions.add(decision);
                if (decision.stateChanged()) {
                    state = decision.state();
                }
                if (i % 7 == 0 && state != null) {
                    assertThat(codec.decode(codec.encode(state))).isEqualTo(state);
                }
            }
            assertReplayIsIdentical();
            return new Outcome(commandKeys.size(), everFailed);
        }

        private SessionEvent nextEvent() {
            int dice = random.nextInt(100);
            if (dice < 55 || state == null) {
                return new SessionEvent.CheckReceived(freshCheck(false));
            }
            if (dice < 62 && !recentChecks.isEmpty()) {
                return new SessionEvent.CheckReceived(recentChecks.get(random.nextInt(recentChecks.size())));
            }
            if (dice < 66) {
                return new SessionEvent.CheckReceived(freshCheck(true));
            }
            if (dice < 80) {
                return new SessionEvent.OutcomeReceived(outcome());
            }
            if (dice < 90) {
                return new SessionEvent.ControlReceived(control());
            }
            return new SessionEvent.SilenceDetected(Fixture.at(clock + random.nextInt(300)), random.nextInt(4) == 0);
        }

        private HealthCheckResult freshCheck(boolean outOfOrder) {
            long probe;
            if (outOfOrder) {
                probe = clock - 1 - random.nextInt(100);
            } else {
                int gap = random.nextInt(100);
                clock += gap < 3 ? 600 + random.nextInt(3000) : gap < 10 ? random.nextInt(5) : 20 + random.nextInt(21);
                probe = clock;
            }
            Fixture.CheckBuilder check = Fixture.check(probe).id("chk-" + (++checkSequence))
                    .container("container-" + generation);
            if (random.nextInt(20) == 0) {
                // A copy of the container on another host, with the same session label.
                check.host("host-copy").container("copy-" + generation);
            }
            int kind = random.nextInt(100);
            if (kind < 45) {
                check.healthy();
            } else if (kind < 65) {
                check.unhealthy();
            } else if (kind < 80) {
                check.exited();
            } else if (kind < 87) {
                check.probeTimeout();
            } else if (kind < 92) {
                check.dockerUnreachable();
            } else if (kind < 98) {
                check.starting();
            } else {
                check.gone();
            }
            HealthCheckResult result = check.build();
            if (!outOfOrder) {
                recentChecks.add(result);
                if (recentChecks.size() > 5) {
                    recentChecks.remove(0);
                }
            }
            return result;
        }

        private io.fleethealth.events.RestartOutcome outcome() {
            RestartResult[] results = RestartResult.values();
            RestartResult result = results[random.nextInt(results.length)];
            boolean forPending = state.pending() != null && random.nextInt(5) > 0;
            String commandId = forPending ? state.pending().commandId()
                    : commandKeys.isEmpty() || random.nextBoolean() ? "unknown-command"
                    : commandKeys.keySet().iterator().next();
            return Fixture.outcome(commandId, result, clock + random.nextInt(20));
        }

        private SessionControl control() {
            ControlAction[] actions = ControlAction.values();
            ControlAction action = actions[random.nextInt(actions.length)];
            String id = random.nextInt(6) == 0 && controlSequence > 0 ? "ctl-" + controlSequence
                    : "ctl-" + (++controlSequence);
            return Fixture.control(action, clock, id);
        }

        private void checkInvariants(SessionState before, SessionEvent event, Decision decision) {
            SessionState after = decision.stateChanged() ? decision.state() : before;
            if (after != null) {
                assertThat(after.status()).isIn((Object[]) HealthStatus.values());
                assertThat(after.restartsReported()).as("answered attempts").isBetween(0, settings.maxRestartAttempts());
                assertThat(after.restartAttempts()).as("issued attempts").isGreaterThanOrEqualTo(after.restartsReported());
                if (after.failed() && (before == null || !before.failed())) {
                    assertThat(after.restartsReported()).as("FAILED only after every restart was answered")
                            .isEqualTo(settings.maxRestartAttempts());
                }
                assertThat(after.recentCheckIds()).hasSizeLessThanOrEqualTo(SessionState.RECENT_CHECK_IDS);
                everFailed |= after.failed();
            }
            for (SessionStatus status : decision.statuses()) {
                assertThat(status.getStatus()).isNotNull();
            }
            if (!decision.stateChanged()) {
                assertThat(decision.emitted()).as("an ignored event emits nothing").isEmpty();
            }
            checkIgnoredInputs(before, event, decision);
            checkFailedIsLeftOnlyByReset(before, event, decision);
            checkCountedChecks(event, decision);
            checkCommands(before, event, decision);
            checkAudits(decision);
            if (decision.sessionEnded()) {
                generation++;
                recentChecks.clear();
                auditIds.clear();
                countedFailuresSinceReset.clear();
            }
        }

        private void checkIgnoredInputs(SessionState before, SessionEvent event, Decision decision) {
            if (before == null || !(event instanceof SessionEvent.CheckReceived received)) {
                return;
            }
            HealthCheckResult check = received.check();
            if (before.recentCheckIds().contains("check:" + check.getCheckId())) {
                assertThat(decision.counted(DecisionCounter.IGNORED_DUPLICATE)).as("duplicate ignored").isTrue();
            } else if (!before.hostId().isEmpty() && !before.hostId().equals(check.getHostId())) {
                assertThat(decision.counted(DecisionCounter.FOREIGN_CHECK)).as("another host's check").isTrue();
                SessionState after = decision.state();
                assertThat(after).as("another host never ends the session").isNotNull();
                assertThat(decision.commands()).isEmpty();
                assertThat(after.status()).isEqualTo(before.status());
                assertThat(after.consecutiveFailures()).isEqualTo(before.consecutiveFailures());
                assertThat(after.consecutiveSuccesses()).isEqualTo(before.consecutiveSuccesses());
                assertThat(after.restartAttempts()).isEqualTo(before.restartAttempts());
                assertThat(after.pending()).isEqualTo(before.pending());
                assertThat(after.lastProbeTime()).isEqualTo(before.lastProbeTime());
            } else if (before.lastProbeTime() != null && check.getProbeTime().isBefore(before.lastProbeTime())) {
                assertThat(decision.counted(DecisionCounter.IGNORED_OUT_OF_ORDER)).as("out of order ignored").isTrue();
            } else {
                assertThat(decision.counted(DecisionCounter.CHECK_PROCESSED)).as("processed").isTrue();
            }
        }

        private void checkFailedIsLeftOnlyByReset(SessionState before, SessionEvent event, Decision decision) {
            if (before == null || !before.failed() || !decision.stateChanged()) {
                return;
            }
            SessionState after = decision.state();
            if (after == null) {
                assertThat(event).isInstanceOf(SessionEvent.CheckReceived.class);
                assertThat(((SessionEvent.CheckReceived) event).check().getErrorCategory())
                        .isEqualTo(ErrorCategory.CONTAINER_GONE);
            } else if (!after.failed()) {
                assertThat(event).as("only a reset leaves FAILED").isInstanceOfSatisfying(
                        SessionEvent.ControlReceived.class,
                        c -> assertThat(c.control().getAction()).isEqualTo(ControlAction.RESET));
            }
        }

        /** Counted failures and successes are the checks the rules say, and feed the window oracle. */
        private void checkCountedChecks(SessionEvent event, Decision decision) {
            boolean failure = decision.counted(DecisionCounter.FAILURE_COUNTED);
            boolean success = decision.counted(DecisionCounter.SUCCESS_COUNTED);
            if (!(event instanceof SessionEvent.CheckReceived received)) {
                assertThat(failure || success).as("only checks count").isFalse();
                return;
            }
            HealthCheckResult check = received.check();
            if (failure) {
                assertThat(check.getStatus()).isIn(HealthStatus.UNHEALTHY, HealthStatus.FAILED, HealthStatus.UNKNOWN);
                assertThat(check.getErrorCategory()).isNotEqualTo(ErrorCategory.DOCKER_UNREACHABLE);
                countedFailuresSinceReset.add(check.getProbeTime());
            }
            if (success) {
                assertThat(check.getStatus()).isEqualTo(HealthStatus.HEALTHY);
                countedFailuresSinceReset.clear();
            }
        }

        private void checkCommands(SessionState before, SessionEvent event, Decision decision) {
            List<RestartCommand> commands = decision.commands();
            if (commands.isEmpty()) {
                return;
            }
            assertThat(commands).as("one command per decision").hasSize(1);
            assertThat(event).as("only a check orders a restart").isInstanceOf(SessionEvent.CheckReceived.class);
            RestartCommand command = commands.get(0);
            HealthCheckResult check = ((SessionEvent.CheckReceived) event).check();
            if (before != null) {
                assertThat(before.failed()).as("no command while FAILED").isFalse();
                assertThat(before.paused()).as("no command while paused").isFalse();
                if (before.pending() != null) {
                    assertThat(decision.counted(DecisionCounter.COMMAND_LOST))
                            .as("no command while another is pending").isTrue();
                }
            }
            int threshold = settings.failureThreshold();
            assertThat(countedFailuresSinceReset).as("the last counted checks were failures")
                    .hasSizeGreaterThanOrEqualTo(threshold);
            Instant newest = countedFailuresSinceReset.get(countedFailuresSinceReset.size() - 1);
            Instant oldest = countedFailuresSinceReset.get(countedFailuresSinceReset.size() - threshold);
            assertThat(newest).isEqualTo(check.getProbeTime());
            assertThat(Duration.between(oldest, newest)).as("inside the window")
                    .isLessThanOrEqualTo(INTERVAL.multipliedBy(threshold + 1L));
            countedFailuresSinceReset.clear();

            assertThat(command.getIssuedAt()).isEqualTo(check.getProbeTime());
            assertThat(command.getNotBefore()).isAfterOrEqualTo(command.getIssuedAt());
            assertThat(command.getExpiresAt()).isAfter(command.getNotBefore());
            assertThat(command.getAttempt()).isPositive();
            assertThat(command.getCommandId()).isEqualTo(Ids.commandId(command.getSessionId(),
                    command.getContainerId(), command.getEpisode(), command.getAttempt(), "check:" + check.getCheckId()));
            String key = command.getContainerId() + "|" + command.getEpisode() + "|" + command.getAttempt();
            assertThat(commandKeys).as("command ids unique per (episode, attempt)")
                    .doesNotContainKey(command.getCommandId());
            assertThat(commandKeys).doesNotContainValue(key);
            commandKeys.put(command.getCommandId(), key);
        }

        private void checkAudits(Decision decision) {
            for (AuditEvent audit : decision.audits()) {
                assertThat(auditIds.add(audit.getEventId())).as("audit ids unique: " + audit).isTrue();
            }
        }

        private void assertReplayIsIdentical() {
            SessionStateMachine replay = new SessionStateMachine(settings);
            SessionState replayed = null;
            for (int i = 0; i < events.size(); i++) {
                Decision decision = replay.decide(replayed, events.get(i));
                assertThat(decision).as("replayed decision %d", i).isEqualTo(decisions.get(i));
                if (decision.stateChanged()) {
                    replayed = decision.state();
                }
            }
        }
    }
}

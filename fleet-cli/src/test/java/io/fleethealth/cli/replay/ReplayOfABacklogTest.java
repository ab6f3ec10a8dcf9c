package io.fleethealth.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.cli.testing.Events;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.processor.decision.Decision;
import io.fleethealth.processor.brake.BrakeSettings;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.decision.Emitted;
import io.fleethealth.processor.decision.SessionEvent;
import io.fleethealth.processor.decision.SessionState;
import io.fleethealth.processor.decision.SessionStateMachine;
import io.fleethealth.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A live run that caught up on a backlog withheld the commands that would have expired; the replay, fed
 * the processing times the live run audited, decides exactly the same.
 */
class ReplayOfABacklogTest {

    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    private static final Instant CAUGHT_UP = T0.plusSeconds(1_000);

    @Test
    void shouldReproduceTheLiveCommandsOfABacklogFromTheAuditedProcessingTimes() {
        SessionStateMachine machine = new SessionStateMachine(ProcessorConfig.defaultDecisionSettings());
        List<HistoryRecord<?>> history = new ArrayList<>();
        List<RestartCommand> liveCommands = new ArrayList<>();
        ProcessingTimes recorded = ProcessingTimes.none();
        SessionState state = null;
        for (int i = 0; i < 34; i++) {
            Instant probe = T0.plusSeconds(30L * i);
            HealthCheckResult check = Events.check("s1", "s1-" + i, probe, false);
            history.add(new HistoryRecord<>(Topics.HEALTH_CHECKS, "s1", probe, 0, i, check));
            // Live: the processor was down until 1000 s and read everything then.
            Instant processedAt = probe.isBefore(CAUGHT_UP) ? CAUGHT_UP : probe;
            Decision decision = machine.decide(state, new SessionEvent.CheckReceived(check, processedAt));
            state = decision.stateChanged() ? decision.state() : state;
            liveCommands.addAll(decision.commands());
            decision.audits().forEach(recorded::learn);
        }
        assertThat(recorded.size()).as("the live run withheld commands").isPositive();

        List<RestartCommand> replayed = replay(machine, history, recorded);
        List<RestartCommand> onTime = replay(machine, history, ProcessingTimes.none());

        assertThat(liveCommands).hasSize(1);
        assertThat(replayed).containsExactlyElementsOf(liveCommands);
        assertThat(onTime).as("without the recorded times the replay decides as if on time")
                .isNotEqualTo(liveCommands);
    }

    private static List<RestartCommand> replay(SessionStateMachine machine, List<HistoryRecord<?>> history,
                                               ProcessingTimes times) {
        List<RestartCommand> commands = new ArrayList<>();
        Replayer replayer = new Replayer(machine, new DecisionSink() {
            @Override
            public void accept(Emitted<?> emitted) {
                if (emitted.value() instanceof RestartCommand command) {
                    commands.add(command);
                }
            }

            @Override
            public void close() {
            }
        }, BrakeSettings.defaults(), times);
        history.forEach(replayer::accept);
        return commands;
    }
}

package io.fleethealth.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.cli.testing.Events;
import io.fleethealth.events.ProcessorSettings;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.processor.app.SettingsInForce;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.decision.Emitted;
import io.fleethealth.processor.brake.BrakeSettings;
import io.fleethealth.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replay with the settings recorded in the history: a change of settings mid-history replays as it happened. */
class SettingsTimelineTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    /** The processor restarted with a higher threshold one hour in. */
    private static final Instant T1 = T0.plusSeconds(3600);

    private static HistoryRecord<ProcessorSettings> settings(String app, Instant at, String threshold) {
        ProcessorSettings value = SettingsInForce.record(ProcessorConfig.fromEnv(
                Map.of("CONTAINER_FAILURE_THRESHOLD", threshold, "PROCESSOR_APPLICATION_ID", app)), at);
        return new HistoryRecord<>(Topics.PROCESSOR_SETTINGS, SettingsInForce.key(value), at, 0, 0, value);
    }

    private static List<RestartCommand> replay(SettingsTimeline timeline, Instant from, String session) {
        List<RestartCommand> commands = new ArrayList<>();
        DecisionSink sink = new DecisionSink() {
            @Override
            public void accept(Emitted<?> emitted) {
                if (emitted.value() instanceof RestartCommand command) {
                    commands.add(command);
                }
            }

            @Override
            public void close() {
            }
        };
        Replayer replayer = new Replayer(timeline, sink, BrakeSettings.defaults(), ProcessingTimes.none());
        for (int i = 0; i < 3; i++) {
            Instant at = from.plusSeconds(30L * i);
            replayer.accept(new HistoryRecord<>(Topics.HEALTH_CHECKS, session, at, 0, i,
                    Events.check(session, session + "-" + i, at, false)));
        }
        return commands;
    }

    @Test
    void shouldDecideEachPartOfTheHistoryWithTheSettingsInForceThen() {
        SettingsTimeline timeline = SettingsTimeline.recorded(
                List.of(settings("app", T0, "3"), settings("app", T1, "5")), null, Map.of()).orElseThrow();

        assertThat(replay(timeline, T0.plusSeconds(60), "before")).as("threshold 3 in force").hasSize(1);
        assertThat(replay(timeline, T1.plusSeconds(60), "after")).as("threshold 5 in force").isEmpty();
        assertThat(timeline.periods()).containsOnlyKeys(T0, T1);
    }

    @Test
    void shouldLetAFlagOverrideEveryRecordedPeriod() {
        SettingsTimeline timeline = SettingsTimeline.recorded(
                List.of(settings("app", T0, "3"), settings("app", T1, "5")), null,
                Map.of("CONTAINER_FAILURE_THRESHOLD", "2")).orElseThrow();

        assertThat(replay(timeline, T1.plusSeconds(60), "after")).hasSize(1);
        assertThat(timeline.machineAt(T0).settings().failureThreshold()).isEqualTo(2);
    }

    @Test
    void shouldUseTheFirstRecordedSettingsForRecordsBeforeTheFirstStart() {
        SettingsTimeline timeline = SettingsTimeline.recorded(List.of(settings("app", T1, "5")), null, Map.of())
                .orElseThrow();

        assertThat(timeline.machineAt(T0).settings().failureThreshold()).isEqualTo(5);
    }

    @Test
    void shouldAskWhichApplicationWhenTheHistoryHoldsSeveral() {
        List<HistoryRecord<ProcessorSettings>> two = List.of(settings("a", T0, "3"), settings("b", T0, "5"));

        assertThatThrownBy(() -> SettingsTimeline.recorded(two, null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--application-id");
        assertThat(SettingsTimeline.recorded(two, "b", Map.of()).orElseThrow().machineAt(T0).settings()
                .failureThreshold()).isEqualTo(5);
        assertThat(SettingsTimeline.recorded(two, "c", Map.of())).isEmpty();
    }
}

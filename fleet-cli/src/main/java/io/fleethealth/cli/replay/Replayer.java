package io.fleethealth.cli.replay;

import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.SessionControl;
import io.fleethealth.processor.brake.BrakeEvent;
import io.fleethealth.processor.brake.BrakeReport;
import io.fleethealth.processor.brake.BrakeSettings;
import io.fleethealth.processor.brake.BrakeSignals;
import io.fleethealth.processor.brake.RestartBrake;
import io.fleethealth.processor.decision.Decision;
import io.fleethealth.processor.decision.Emitted;
import io.fleethealth.processor.decision.SessionEvent;
import io.fleethealth.processor.decision.SessionState;
import io.fleethealth.processor.decision.SessionStateMachine;
import io.fleethealth.processor.topology.InputValidator;
import io.fleethealth.topics.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live processor's per-session shell without Kafka Streams: the same validation of inputs, the same
 * {@link SessionStateMachine}, a map for the session store. Fed records in the order a Streams task reads
 * them ({@link io.fleethealth.cli.source.HistoryMerge}), it emits what the live processor emitted.
 *
 * <p>Checks are decided as if processed on time, except those the live processor recorded deciding late
 * ({@link ProcessingTimes}, from its audit): so a history with a backlog replays to the same commands.
 *
 * <p>Not replayed: the wall-clock silence scan (it only marks sessions UNKNOWN and alerts, never restarts
 * one, and depends on when the live processor happened to run) and the host monitor (heartbeats).
 */
public final class Replayer {

    /** The live processor's input topics, in the tie-break order of equal timestamps. */
    public static final List<io.fleethealth.topics.Topic<?>> INPUTS =
            List.of(Topics.HEALTH_CHECKS, Topics.RESTART_OUTCOMES, Topics.SESSION_CONTROL);

    /** The topics the decision writes to. */
    public static final List<io.fleethealth.topics.Topic<?>> OUTPUTS =
            List.of(Topics.RESTART_COMMANDS, Topics.SESSION_STATUS, Topics.ALERTS, Topics.AUDIT);

    private final SettingsTimeline settings;
    private final DecisionSink sink;
    private final ProcessingTimes processingTimes;
    private final Map<String, SessionState> sessions = new HashMap<>();
    private final ReplayStats.Counter stats = new ReplayStats.Counter();
    private final RestartBrake brake;
    private final List<BrakeEvent> brakeEvents = new ArrayList<>();

    /** One set of settings for the whole history. */
    public Replayer(SessionStateMachine machine, DecisionSink sink) {
        this(SettingsTimeline.constant(machine.settings(), "given"), sink, BrakeSettings.defaults(),
                ProcessingTimes.none());
    }

    /** With the restart brake's what-if: what it would have held and released over the same decisions. */
    public Replayer(SessionStateMachine machine, DecisionSink sink, BrakeSettings brakeSettings,
                    ProcessingTimes processingTimes) {
        this(SettingsTimeline.constant(machine.settings(), "given"), sink, brakeSettings, processingTimes);
    }

    /**
     * Each record decided with the settings in force at its time.
     *
     * @param brakeSettings   the restart brake's what-if: what it would have held and released over the same decisions
     * @param processingTimes when the live processor decided the checks it decided late (see {@link ProcessingTimes})
     */
    public Replayer(SettingsTimeline settings, DecisionSink sink, BrakeSettings brakeSettings,
                    ProcessingTimes processingTimes) {
        this.settings = settings;
        this.sink = sink;
        this.brake = new RestartBrake(brakeSettings);
        this.processingTimes = processingTimes;
    }

    /** Decides one input record, as the live processor would have. */
    public void accept(HistoryRecord<?> record) {
        stats.read++;
        if (record.value() == null) {
            return; // a tombstone on an input topic carries no event
        }
        Optional<SessionEvent> event = toEvent(record);
        if (event.isEmpty()) {
            stats.invalid++;
            return;
        }
        String sessionId = record.key();
        Decision decision = settings.machineAt(record.timestamp()).decide(sessions.get(sessionId), event.get());
        if (decision.stateChanged()) {
            if (decision.state() == null) {
                sessions.remove(sessionId);
            } else {
                sessions.put(sessionId, decision.state());
            }
        }
        for (Emitted<?> emitted : decision.emitted()) {
            stats.count(emitted);
            sink.accept(emitted);
        }
        brakeEvents.addAll(BrakeSignals.feed(brake, sessionId, event.get(), decision));
    }

    /** What the brake decided over the replayed decisions, in order (docs/brake.md). */
    public List<BrakeEvent> brakeEvents() {
        return List.copyOf(brakeEvents);
    }

    public BrakeReport brakeReport() {
        return BrakeReport.of(brakeEvents);
    }

    /** The event, or empty when the live processor would have dead-lettered or dropped the record. */
    private Optional<SessionEvent> toEvent(HistoryRecord<?> record) {
        if (record.key() == null) {
            return Optional.empty(); // the session store refuses a null key: the live run skipped it too
        }
        long timestamp = record.timestamp().toEpochMilli();
        Object value = record.value();
        if (value instanceof HealthCheckResult check) {
            return InputValidator.check(record.key(), check, timestamp).isPresent() ? Optional.empty()
                    : Optional.of(new SessionEvent.CheckReceived(check,
                            processingTimes.of(record.key(), check.getCheckId()).orElse(null)));
        }
        if (value instanceof RestartOutcome outcome) {
            return InputValidator.outcome(record.key(), outcome, timestamp).isPresent() ? Optional.empty()
                    : Optional.of(new SessionEvent.OutcomeReceived(outcome));
        }
        if (value instanceof SessionControl control) {
            return InputValidator.control(record.key(), control, timestamp).isPresent() ? Optional.empty()
                    : Optional.of(new SessionEvent.ControlReceived(control));
        }
        throw new IllegalArgumentException("Not an input of the decision: " + record.topic().name());
    }

    public ReplayStats stats() {
        return stats.snapshot(sessions.size());
    }
}

package io.fleethealth.processor.topology;

import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.processor.brake.BrakeAnswer;
import io.fleethealth.processor.brake.BrakeEvent;
import io.fleethealth.processor.brake.BrakeSettings;
import io.fleethealth.processor.brake.BrakeSignal;
import io.fleethealth.processor.brake.IncidentAlerts;
import io.fleethealth.processor.brake.RestartBrake;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The thin shell around {@link RestartBrake}, on the brake's single input partition. The brake's state is
 * its input: every signal is appended to the {@code brake-signals} store (changelogged), and after a
 * restart or a move the brake is rebuilt by applying the stored signals again, which by determinism gives
 * back the very same state. Issued and released restarts go to the commands topic with the budget's
 * not-before (the expiry moves by as much); incidents become one alert each; holds and releases are audited.
 */
final class BrakeProcessor implements Processor<String, BrakeSignal, String, Object> {

    static final String SIGNALS_STORE = "brake-signals";

    private final BrakeSettings settings;
    private final java.util.function.Function<io.fleethealth.topics.Topic<?>, String> sinks;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<Long, BrakeSignal> signals;
    private RestartBrake brake;
    private long nextSequence;
    /** The wanted command per held session, to re-issue it on release. */
    private final Map<String, BrakeSignal> wanted = new HashMap<>();

    /** The sink node of the session answers, or null when nothing listens (the brake's own topology). */
    private final String answers;

    BrakeProcessor(BrakeSettings settings, java.util.function.Function<io.fleethealth.topics.Topic<?>, String> sinks) {
        this(settings, sinks, null);
    }

    BrakeProcessor(BrakeSettings settings, java.util.function.Function<io.fleethealth.topics.Topic<?>, String> sinks,
                   String answers) {
        this.settings = settings;
        this.sinks = sinks;
        this.answers = answers;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.signals = context.getStateStore(SIGNALS_STORE);
        this.brake = new RestartBrake(settings);
        try (KeyValueIterator<Long, BrakeSignal> all = signals.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                remember(entry.value);
                entry.value.applyTo(brake); // outputs were forwarded when the signal was first processed
                nextSequence = entry.key + 1;
            }
        }
    }

    @Override
    public void process(org.apache.kafka.streams.processor.api.Record<String, BrakeSignal> record) {
        BrakeSignal signal = record.value();
        if (signal == null) {
            return;
        }
        signals.put(nextSequence++, signal);
        remember(signal);
        for (BrakeEvent event : signal.applyTo(brake)) {
            forward(event);
        }
    }

    private void remember(BrakeSignal signal) {
        if (signal.kind() == BrakeSignal.Kind.RESTART_WANTED && signal.command() != null) {
            wanted.put(signal.sessionId(), signal);
        }
    }

    private void forward(BrakeEvent event) {
        if (event instanceof BrakeEvent.IncidentOpened opened) {
            send(Topics.ALERTS, opened.incident().group().id(), IncidentAlerts.firing(opened.incident()), event.at());
            audit(opened.incident().group().id(), "", AuditAction.INCIDENT_OPENED, "brake", opened.incident().id(),
                    event.at(), "failures started in " + opened.incident().failingSessions() + " of "
                            + opened.incident().groupSessions() + " sessions");
        } else if (event instanceof BrakeEvent.IncidentClosed closed) {
            send(Topics.ALERTS, closed.incident().group().id(), IncidentAlerts.resolved(closed), event.at());
            audit(closed.incident().group().id(), "", AuditAction.INCIDENT_CLOSED,
                    closed.operator().isEmpty() ? "brake" : closed.operator(), closed.incident().id(), event.at(),
                    closed.reason().name().toLowerCase(java.util.Locale.ROOT));
        } else if (event instanceof BrakeEvent.RestartHeld held) {
            BrakeSignal signal = wanted.get(held.sessionId());
            audit(held.sessionId(), signal == null ? "" : signal.hostId(), AuditAction.RESTART_HELD, "brake",
                    held.incidentId(), event.at(), "restart held: incident " + held.incidentId() + " is open");
            if (signal != null && signal.command() != null) {
                answer(new BrakeAnswer(BrakeAnswer.Kind.HELD, held.sessionId(), signal.command().commandId(),
                        held.incidentId(), null, null, event.at()));
            }
        } else if (event instanceof BrakeEvent.RestartIssued issued) {
            BrakeSignal signal = wanted.remove(issued.sessionId());
            if (signal != null && signal.command() != null) {
                RestartCommand command = command(signal, issued.notBefore());
                send(Topics.RESTART_COMMANDS, issued.sessionId(), command, event.at());
                answer(new BrakeAnswer(BrakeAnswer.Kind.SENT, issued.sessionId(), command.getCommandId(),
                        issued.incidentId(), command.getNotBefore(), command.getExpiresAt(), event.at()));
                if (issued.released()) {
                    audit(issued.sessionId(), signal.hostId(), AuditAction.RESTART_RELEASED, "brake",
                            issued.incidentId(), event.at(), "restart released, not before " + issued.notBefore());
                }
            }
        } else if (event instanceof BrakeEvent.RestartWithdrawn withdrawn) {
            wanted.remove(withdrawn.sessionId());
        }
    }

    /** The wanted command, not before the budget's slot; its expiry moves by as much as its start. */
    private static RestartCommand command(BrakeSignal signal, Instant slot) {
        BrakeSignal.WantedRestart c = signal.command();
        Instant notBefore = slot.isAfter(c.notBefore()) ? slot : c.notBefore();
        Duration moved = Duration.between(c.notBefore(), notBefore);
        return RestartCommand.newBuilder()
                .setCommandId(c.commandId()).setSessionId(signal.sessionId()).setHostId(signal.hostId())
                .setContainerId(c.containerId()).setContainerName(c.containerName())
                .setAttempt(c.attempt()).setEpisode(c.episode()).setReason(c.reason())
                .setIssuedAt(c.issuedAt()).setNotBefore(notBefore).setExpiresAt(c.expiresAt().plus(moved))
                .setStopTimeoutSeconds(c.stopTimeoutSeconds())
                .build();
    }

    /** Tells the session's own decision what became of its command (only in the live topology). */
    private void answer(BrakeAnswer answer) {
        if (answers != null) {
            context.forward(new org.apache.kafka.streams.processor.api.Record<String, Object>(answer.sessionId(), answer,
                    answer.at().toEpochMilli()), answers);
        }
    }

    private void audit(String key, String hostId, AuditAction action, String actor, String incidentId, Instant at,
                       String reason) {
        AuditEvent audit = AuditEvent.newBuilder()
                .setEventId("brake:" + action + ":" + incidentId + ":" + key + ":" + at.toEpochMilli())
                .setSessionId(key).setHostId(hostId.isEmpty() ? null : hostId)
                .setAction(action).setActor(actor).setReason(reason).setTime(at).setCommandId(null)
                .setDetails(Map.of("incident_id", incidentId))
                .build();
        send(Topics.AUDIT, key, audit, at);
    }

    private void send(io.fleethealth.topics.Topic<?> topic, String key, Object value, Instant at) {
        context.forward(new org.apache.kafka.streams.processor.api.Record<String, Object>(key, value, at.toEpochMilli()),
                sinks.apply(topic));
    }

    /** The held sessions, for tests and (via a store) the API. */
    List<RestartBrake.Held> held() {
        return brake.held();
    }
}

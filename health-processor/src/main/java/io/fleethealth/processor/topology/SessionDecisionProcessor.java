package io.fleethealth.processor.topology;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.processor.brake.BrakeSignal;
import io.fleethealth.processor.brake.BrakeSignals;
import io.fleethealth.processor.decision.AlertKind;
import io.fleethealth.topics.Topics;
import io.fleethealth.processor.decision.Alerts;
import io.fleethealth.processor.decision.Decision;
import io.fleethealth.processor.decision.Emitted;
import io.fleethealth.processor.decision.DecisionCounter;
import io.fleethealth.processor.decision.SessionEvent;
import io.fleethealth.processor.decision.SessionState;
import io.fleethealth.processor.decision.SessionStateMachine;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.processor.state.CheckSummary;
import io.fleethealth.processor.state.SessionMark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin shell around {@link SessionStateMachine}: loads a session's state, asks the machine, stores
 * the new state and forwards what it decided. Every decision is made in event time; the wall clock
 * enters only through the silence scan (never a restart) and the processing time of a check, which can
 * only withhold a restart whose command would already have expired.
 */
final class SessionDecisionProcessor implements Processor<String, Object, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(SessionDecisionProcessor.class);

    /** Session states kept decoded per task (a few KB each): the sessions of a busy partition between commits. */
    static final int CACHED_SESSIONS = 4_096;

    private final SessionStateMachine machine;
    private final Duration staleAfter;
    private final Duration scanEvery;
    private final Duration resendEvery;
    private final Outputs outputs;
    private final String deadLetterChild;
    private final DecisionListener listener;
    private final LiveCounts<HealthStatus> counts;
    private final LiveCounts<HealthStatus> notManagedCounts;
    private LiveCounts.Tally<HealthStatus> taskCounts;
    private LiveCounts.Tally<HealthStatus> taskNotManagedCounts;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, SessionState> store;
    private SessionCache sessions;
    private WindowStore<String, CheckSummary> history;
    private WindowStore<String, SessionMark> marks;
    private KeyValueStore<String, HealthAlert> hostAlerts;
    private Instant judgeSilenceFrom;
    private final String brakeSignals;

    SessionDecisionProcessor(SessionStateMachine machine, Duration staleAfter, Duration scanEvery,
                             Duration resendEvery, Outputs outputs, String deadLetterChild, DecisionListener listener,
                             LiveCounts<HealthStatus> counts, LiveCounts<HealthStatus> notManagedCounts) {
        this(machine, staleAfter, scanEvery, resendEvery, outputs, deadLetterChild, listener, counts, notManagedCounts,
                null);
    }

    /**
     * @param brakeSignals the sink node of the brake's input, or null without the brake: with it, the
     *                     decision's restart commands go to the brake (which sends or holds them), not to
     *                     the agents
     */
    SessionDecisionProcessor(SessionStateMachine machine, Duration staleAfter, Duration scanEvery,
                             Duration resendEvery, Outputs outputs, String deadLetterChild, DecisionListener listener,
                             LiveCounts<HealthStatus> counts, LiveCounts<HealthStatus> notManagedCounts,
                             String brakeSignals) {
        this.brakeSignals = brakeSignals;
        this.machine = machine;
        this.counts = counts;
        this.notManagedCounts = notManagedCounts;
        this.staleAfter = staleAfter;
        this.scanEvery = scanEvery;
        this.resendEvery = resendEvery;
        this.outputs = outputs;
        this.deadLetterChild = deadLetterChild;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(StoreNames.SESSIONS);
        // A fresh cache on every init: after a revival or restore the store may hold older states than before.
        this.sessions = new SessionCache(store, CACHED_SESSIONS);
        this.history = context.getStateStore(StoreNames.CHECK_HISTORY);
        this.marks = context.getStateStore(StoreNames.SESSION_MARKS);
        this.hostAlerts = context.getStateStore(StoreNames.HOST_ALERTS);
        // The one scan of the task's sessions; from here on the counts follow each decision.
        List<HealthStatus> statuses = new ArrayList<>();
        List<HealthStatus> notManaged = new ArrayList<>();
        try (KeyValueIterator<String, SessionState> all = store.all()) {
            all.forEachRemaining(entry -> {
                statuses.add(entry.value.status());
                if (!entry.value.managed()) {
                    notManaged.add(entry.value.status());
                }
            });
        }
        this.taskCounts = counts.open(context.taskId(), statuses.iterator());
        this.taskNotManagedCounts = notManagedCounts.open(context.taskId(), notManaged.iterator());
        // After a restart the backlog of checks must be read before a session can be called silent.
        this.judgeSilenceFrom = Instant.ofEpochMilli(context.currentSystemTimeMs()).plus(staleAfter);
        context.schedule(scanEvery, PunctuationType.WALL_CLOCK_TIME, now -> scanForSilence(Instant.ofEpochMilli(now)));
        // From the stored state, so that after a restart or a failover the new owner keeps the alerts alive.
        context.schedule(resendEvery, PunctuationType.WALL_CLOCK_TIME,
                now -> resendActiveAlerts(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(org.apache.kafka.streams.processor.api.Record<String, Object> record) {
        Decoded decoded = (Decoded) record.value();
        SessionEvent event = stampProcessingTime((SessionEvent) decoded.event());
        SessionState before = sessions.get(record.key());
        Decision decision = machine.decide(before, event);
        Outputs.Encoded encoded;
        try {
            encoded = outputs.encode(brakeSignals == null ? decision.emitted() : decision.emitted().stream()
                    // the brake sends it, now or when its incident closes
                    .filter(e -> !e.topic().equals(Topics.RESTART_COMMANDS)).toList());
        } catch (RuntimeException e) {
            // Nothing of the decision is kept (no state, no record): the input is parked, and the session's
            // next event decides again. A stored pending restart whose command never went out cannot happen.
            String topic = context.recordMetadata().map(m -> m.topic()).orElse("?");
            DecodingProcessor.deadLetter(context, topic, record.key(), decoded.raw(), record.timestamp(),
                    new DeadLetter(DeadLetter.OUTPUT_UNENCODABLE, e.getClass().getSimpleName() + ": " + e.getMessage()),
                    deadLetterChild);
            listener.onDeadLetter(topic);
            return;
        }
        save(record.key(), before, decision);
        outputs.forward(encoded, context);
        if (brakeSignals != null) {
            for (BrakeSignal signal : BrakeSignals.signals(before, record.key(), event, decision)) {
                context.forward(new org.apache.kafka.streams.processor.api.Record<String, Object>(
                        BrakeTopology.SIGNALS_KEY, signal, signal.at().toEpochMilli()), brakeSignals);
            }
        }
        listener.onDecision(event, decision);
        if (event instanceof SessionEvent.CheckReceived received && decision.counted(DecisionCounter.CHECK_PROCESSED)) {
            history.put(record.key(), CheckSummary.of(received.check()), received.check().getProbeTime().toEpochMilli());
        }
    }

    /**
     * A check is decided with the wall-clock time it is processed at, so that a backlog read after an
     * outage does not issue commands that would already have expired (see SessionEvent.CheckReceived).
     */
    private SessionEvent stampProcessingTime(SessionEvent event) {
        if (event instanceof SessionEvent.CheckReceived received && received.processedAt() == null) {
            return new SessionEvent.CheckReceived(received.check(), Instant.ofEpochMilli(context.currentSystemTimeMs()));
        }
        return event;
    }

    private void save(String sessionId, SessionState state, Decision decision) {
        if (decision.stateChanged()) {
            taskCounts.moved(state == null ? null : state.status(), decision.state() == null ? null : decision.state().status());
            taskNotManagedCounts.moved(notManagedStatus(state), notManagedStatus(decision.state()));
            if (decision.state() == null) {
                sessions.delete(sessionId);
            } else {
                sessions.put(sessionId, decision.state());
            }
        }
        for (AuditEvent audit : decision.audits()) {
            SessionMark.of(audit).ifPresent(mark -> marks.put(sessionId, mark, audit.getTime().toEpochMilli()));
        }
    }

    /** Marks sessions without a recent check UNKNOWN; quiet when their whole host went silent. */
    private void scanForSilence(Instant now) {
        if (now.isBefore(judgeSilenceFrom)) {
            return;
        }
        // One scan period later than the host monitor judges heartbeats, so that a host-silent alert has
        // reached the global store before this host's sessions are judged, and they stay quiet.
        Instant silentBefore = now.minus(staleAfter).minus(scanEvery);
        List<SessionState> silent = new ArrayList<>();
        try (KeyValueIterator<String, SessionState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, SessionState> entry = all.next();
                SessionState state = entry.value;
                // A session that is not managed is never marked stale: no need to ask.
                if (state.managed() && !state.stale() && state.lastProbeTime() != null
                        && state.lastProbeTime().isBefore(silentBefore)) {
                    silent.add(state);
                }
            }
        }
        for (SessionState state : silent) {
            SessionEvent event = new SessionEvent.SilenceDetected(now, hostSilent(state.hostId()));
            Decision decision = machine.decide(state, event);
            Outputs.Encoded encoded;
            try {
                encoded = outputs.encode(decision.emitted());
            } catch (RuntimeException e) {
                // Judged again at the next scan: the state was not marked stale.
                log.warn("[session {}] silence not recorded: its alert cannot be encoded", state.sessionId(), e);
                continue;
            }
            save(state.sessionId(), state, decision);
            outputs.forward(encoded, context);
            listener.onDecision(event, decision);
        }
    }

    /**
     * Sends every alert still active again (Alertmanager ends an alert that is not re-sent within its
     * resolve timeout). A host alert held by several sessions of the host goes out once per scan.
     */
    private void resendActiveAlerts(Instant now) {
        Set<String> sent = new HashSet<>();
        List<Emitted<HealthAlert>> out = new ArrayList<>();
        try (KeyValueIterator<String, SessionState> all = store.all()) {
            while (all.hasNext()) {
                SessionState state = all.next().value;
                if (state.activeAlerts().isEmpty()) {
                    continue;
                }
                for (Emitted<HealthAlert> alert : Alerts.stillFiring(state, now)) {
                    if (sent.add(alert.value().getFingerprint())) {
                        out.add(alert);
                    }
                }
            }
        }
        try {
            outputs.forward(outputs.encode(List.copyOf(out)), context);
        } catch (RuntimeException e) {
            log.warn("{} active alert(s) not sent again now, tried at the next re-send: they cannot be encoded",
                    out.size(), e);
            return;
        }
        listener.onAlertsResent(out.size());
    }

    @Override
    public void close() {
        if (sessions != null) {
            sessions.clear();
        }
        if (taskCounts != null) {
            counts.close(taskCounts);
        }
        if (taskNotManagedCounts != null) {
            notManagedCounts.close(taskNotManagedCounts);
        }
    }

    /** The status under which a session counts among those not managed; null when it is managed or gone. */
    private static HealthStatus notManagedStatus(SessionState state) {
        return state == null || state.managed() ? null : state.status();
    }

    private boolean hostSilent(String hostId) {
        HealthAlert alert = hostAlerts.get(hostId);
        return alert != null && alert.getStatus() == AlertStatus.FIRING
                && AlertKind.HOST_SILENT.alertName().equals(alert.getLabels().get(Alerts.ALERTNAME));
    }
}

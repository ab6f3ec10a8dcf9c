package io.fleethealth.processor.topology;

import io.fleethealth.events.AgentHeartbeat;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.processor.decision.Alerts;
import io.fleethealth.processor.decision.Emitted;
import io.fleethealth.processor.state.HostState;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the heartbeats of every host's agent and raises one alert per host whose heartbeats stop,
 * resolved when they come back. Silence is judged by this processor's wall clock (agents' clocks may
 * drift); it is the one place, with session silence, where the wall clock is allowed, because an
 * absence of records cannot be seen in event time.
 */
final class HostMonitorProcessor implements Processor<String, Object, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(HostMonitorProcessor.class);

    private final Duration staleAfter;
    private final Duration scanEvery;
    private final Duration resendEvery;
    private final Outputs outputs;
    private final LiveCounts<FleetCounts.HostLiveness> counts;
    private LiveCounts.Tally<FleetCounts.HostLiveness> taskCounts;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, HostState> hosts;
    private Instant judgeSilenceFrom;

    HostMonitorProcessor(Duration staleAfter, Duration scanEvery, Duration resendEvery, Outputs outputs,
                         LiveCounts<FleetCounts.HostLiveness> counts) {
        this.counts = counts;
        this.staleAfter = staleAfter;
        this.scanEvery = scanEvery;
        this.resendEvery = resendEvery;
        this.outputs = outputs;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.hosts = context.getStateStore(StoreNames.HOSTS);
        // The one scan of the task's hosts; from here on the counts follow each write.
        try (KeyValueIterator<String, HostState> all = hosts.all()) {
            this.taskCounts = counts.open(context.taskId(), new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    return all.hasNext();
                }

                @Override
                public FleetCounts.HostLiveness next() {
                    return FleetCounts.HostLiveness.of(all.next().value);
                }
            });
        }
        // After a restart the backlog of heartbeats must be read before anyone can be called silent.
        this.judgeSilenceFrom = Instant.ofEpochMilli(context.currentSystemTimeMs()).plus(staleAfter);
        context.schedule(scanEvery, PunctuationType.WALL_CLOCK_TIME, now -> scanForSilence(Instant.ofEpochMilli(now)));
        context.schedule(resendEvery, PunctuationType.WALL_CLOCK_TIME, now -> resendSilentHosts(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(org.apache.kafka.streams.processor.api.Record<String, Object> record) {
        AgentHeartbeat heartbeat = (AgentHeartbeat) ((Decoded) record.value()).event();
        String hostId = heartbeat.getHostId();
        HostState previous = hosts.get(hostId);
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        // Silence is judged on when heartbeats arrive (this wall clock), never on the agent's own stamps: a
        // heartbeat dated in the future must not make every later one look old and the host silent.
        Instant newest = previous != null && heartbeat.getSentAt().isBefore(previous.lastHeartbeatAt())
                ? previous.lastHeartbeatAt() : heartbeat.getSentAt();
        HostState next = new HostState(hostId, newest, now, heartbeat.getEngineReachable(),
                heartbeat.getContainersMonitored(), false);
        if (previous != null && previous.silent()) {
            log.info("[host {}] heartbeats resumed", hostId);
            if (!emit(hostId, Alerts.hostHeartbeatsResumed(hostId, previous.lastHeartbeatAt(), heartbeat.getSentAt()))) {
                return; // the next heartbeat resolves it
            }
        }
        hosts.put(hostId, next);
        taskCounts.moved(previous == null ? null : FleetCounts.HostLiveness.of(previous), FleetCounts.HostLiveness.LIVE);
    }

    private void scanForSilence(Instant now) {
        if (now.isBefore(judgeSilenceFrom)) {
            return;
        }
        List<HostState> silenced = new ArrayList<>();
        try (KeyValueIterator<String, HostState> all = hosts.all()) {
            while (all.hasNext()) {
                KeyValue<String, HostState> entry = all.next();
                HostState host = entry.value;
                if (!host.silent() && host.lastSeenAt().plus(staleAfter).isBefore(now)) {
                    silenced.add(host);
                }
            }
        }
        for (HostState host : silenced) {
            log.warn("[host {}] no heartbeat since {}: raising a host alert", host.hostId(), host.lastHeartbeatAt());
            if (emit(host.hostId(), Alerts.hostHeartbeatsStopped(host.hostId(), host.lastHeartbeatAt()))) {
                hosts.put(host.hostId(), new HostState(host.hostId(), host.lastHeartbeatAt(), host.lastSeenAt(),
                        host.engineReachable(), host.containers(), true));
                taskCounts.moved(FleetCounts.HostLiveness.LIVE, FleetCounts.HostLiveness.SILENT);
            }
        }
    }

    /** Keeps the alert of every silent host alive at the receiver (fleet.alerts only: the global store has it). */
    private void resendSilentHosts(Instant now) {
        List<HostState> silent = new ArrayList<>();
        try (KeyValueIterator<String, HostState> all = hosts.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.silent()) {
                    silent.add(entry.value);
                }
            });
        }
        for (HostState host : silent) {
            HealthAlert alert = Alerts.hostHeartbeatsStopped(host.hostId(), host.lastHeartbeatAt());
            try {
                outputs.forward(outputs.encode(List.of(new Emitted<>(Topics.ALERTS, host.hostId(), alert, now))),
                        context);
            } catch (RuntimeException e) {
                log.warn("[host {}] host alert not sent again now, tried at the next re-send: it cannot be encoded",
                        host.hostId(), e);
            }
        }
    }

    @Override
    public void close() {
        if (taskCounts != null) {
            counts.close(taskCounts);
        }
    }

    /** Encodes, then forwards, the alert to both topics; false (nothing sent) when it cannot be encoded. */
    private boolean emit(String hostId, HealthAlert alert) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Outputs.Encoded encoded;
        try {
            encoded = outputs.encode(List.of(new Emitted<>(Topics.ALERTS, hostId, alert, now),
                    new Emitted<>(Topics.HOST_ALERTS, hostId, alert, now)));
        } catch (RuntimeException e) {
            log.warn("[host {}] host alert not sent, tried again later: it cannot be encoded", hostId, e);
            return false;
        }
        outputs.forward(encoded, context);
        return true;
    }
}

package io.fleethealth.processor.app;

import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartResult;
import io.fleethealth.processor.api.AlertBook;
import io.fleethealth.processor.api.AlertView;
import io.fleethealth.processor.api.CheckView;
import io.fleethealth.processor.api.FleetQueries;
import io.fleethealth.processor.api.HostsView;
import io.fleethealth.processor.api.MarkView;
import io.fleethealth.processor.api.RemoteOwner;
import io.fleethealth.processor.api.SessionOrder;
import io.fleethealth.processor.api.SessionPage;
import io.fleethealth.http.NotReadyException;
import io.fleethealth.processor.topology.FleetCounts;
import io.fleethealth.processor.api.SessionView;
import io.fleethealth.processor.api.StatsView;
import io.fleethealth.processor.decision.DecisionCounter;
import io.fleethealth.processor.decision.SessionState;
import io.fleethealth.processor.metrics.ProcessorMetrics;
import io.fleethealth.processor.metrics.SessionCounts;
import io.fleethealth.processor.state.CheckSummary;
import io.fleethealth.processor.state.SessionMark;
import io.fleethealth.processor.topology.StoreNames;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.PriorityQueue;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import io.fleethealth.processor.health.ProcessorHealth;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Answers the operators' API from this instance's state stores (interactive queries). A session held by
 * another instance is found with {@link #ownerOf} and the API forwards the question there.
 */
public final class StoreQueries implements FleetQueries {

    /** Recent checks a session view carries. */
    static final int HISTORY_LIMIT = 50;
    private static final int ALERTS_KEPT = 200;
    /** Restarts and operator actions a session view carries. */
    static final int MARKS_LIMIT = 30;

    private final KafkaStreams streams;
    private final HostInfo self;
    private final ProcessorMetrics metrics;
    private final FleetCounts counts;
    private final AlertBook alerts = new AlertBook(ALERTS_KEPT);

    private final Supplier<ProcessorHealth.Verdict> health;

    /** Health from the Streams state alone (tests, tools). */
    public StoreQueries(KafkaStreams streams, HostInfo self, ProcessorMetrics metrics, FleetCounts counts) {
        this(streams, self, metrics, counts, () -> new ProcessorHealth.Verdict(streams.state().isRunningOrRebalancing(),
                streams.state().isRunningOrRebalancing() ? List.of() : List.of("Kafka Streams is " + streams.state())));
    }

    /** @param health whether the processor does its work (see {@link ProcessorHealth}) */
    public StoreQueries(KafkaStreams streams, HostInfo self, ProcessorMetrics metrics, FleetCounts counts,
                        Supplier<ProcessorHealth.Verdict> health) {
        this.streams = streams;
        this.counts = counts;
        this.self = self;
        this.metrics = metrics;
        this.health = health;
    }

    /** Keeps an alert for the dashboard (fed by the alert feed from fleet.alerts). */
    public void remember(HealthAlert alert) {
        alerts.record(alert);
    }

    @Override
    public Optional<SessionView> session(String sessionId) {
        SessionState state = query(() -> sessions().get(sessionId));
        return state == null ? Optional.empty()
                : Optional.of(view(state, history(sessionId)).withMarks(query(() -> marks(sessionId))));
    }

    @Override
    public List<SessionView> sessions(Optional<HealthStatus> status) {
        List<SessionView> out = new ArrayList<>();
        try (KeyValueIterator<String, SessionState> all = sessions().all()) {
            while (all.hasNext()) {
                SessionState state = all.next().value;
                if (status.isEmpty() || status.get() == state.status()) {
                    out.add(view(state, List.of()));
                }
            }
        }
        return out;
    }

    /**
     * Merges the sorted ranges of every local partition's store: the composite store of all partitions iterates
     * them one after the other, which is not one order, so a cursor over it would skip sessions.
     */
    @Override
    public SessionPage sessions(Optional<HealthStatus> status, Optional<String> afterSessionId, int limit) {
        List<KeyValueIterator<String, SessionState>> ranges = new ArrayList<>();
        try {
            for (int partition : counts.sessions().partitions()) {
                ReadOnlyKeyValueStore<String, SessionState> store = query(() -> streams.store(StoreQueryParameters
                        .fromNameAndType(StoreNames.SESSIONS, QueryableStoreTypes.<String, SessionState>keyValueStore())
                        .withPartition(partition)));
                ranges.add(query(() -> store.range(afterSessionId.orElse(null), null)));
            }
            PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing((Head h) -> h.entry.key, SessionOrder.IDS));
            ranges.forEach(range -> Head.advance(range, heads));
            List<SessionView> page = new ArrayList<>();
            while (!heads.isEmpty()) {
                Head head = heads.poll();
                SessionState state = head.entry.value;
                boolean after = afterSessionId.isEmpty() || SessionOrder.IDS.compare(head.entry.key, afterSessionId.get()) > 0;
                if (after && (status.isEmpty() || status.get() == state.status())) {
                    if (page.size() == limit) {
                        return new SessionPage(page, Optional.of(page.get(limit - 1).sessionId()));
                    }
                    page.add(view(state, List.of()));
                }
                Head.advance(head.range, heads);
            }
            return new SessionPage(page, Optional.empty());
        } catch (InvalidStateStoreException e) {
            throw new NotReadyException(e.getMessage(), e);
        } finally {
            ranges.forEach(KeyValueIterator::close);
        }
    }

    /** The next entry of one partition's range, in the merge. */
    private record Head(KeyValue<String, SessionState> entry, KeyValueIterator<String, SessionState> range) {

        static void advance(KeyValueIterator<String, SessionState> range, PriorityQueue<Head> heads) {
            if (range.hasNext()) {
                heads.add(new Head(range.next(), range));
            }
        }
    }

    /** From the counts the decision processors keep: no store scan. */
    @Override
    public Map<HealthStatus, Long> countsByStatus() {
        return counts.sessions().byKind();
    }

    /** For {@code fleet_sessions{status,managed}}, from the counts the decision processors keep: no store scan. */
    public SessionCounts sessionCounts() {
        Map<HealthStatus, Long> all = counts.sessions().byKind();
        Map<HealthStatus, Long> notManaged = counts.notManagedSessions().byKind();
        Map<HealthStatus, Long> managed = new java.util.EnumMap<>(HealthStatus.class);
        all.forEach((status, count) -> managed.put(status, count - notManaged.getOrDefault(status, 0L)));
        return new SessionCounts(managed, notManaged);
    }

    /** From the counts the host monitors keep: no store scan. */
    @Override
    public HostsView hosts() {
        Map<FleetCounts.HostLiveness, Long> hosts = counts.hosts().byKind();
        long silent = hosts.get(FleetCounts.HostLiveness.SILENT);
        return new HostsView(hosts.get(FleetCounts.HostLiveness.LIVE) + silent, silent);
    }

    @Override
    public StatsView stats() {
        HistogramSnapshot probes = metrics.probeResponseTimes().takeSnapshot();
        StatsView.ResponseTimes times = probes.count() == 0 ? StatsView.ResponseTimes.NONE
                : new StatsView.ResponseTimes(probes.count(), millis(percentile(probes, 0.5)),
                millis(percentile(probes, 0.9)), millis(percentile(probes, 0.99)), millis(probes.max()));
        return new StatsView(
                (long) metrics.count(DecisionCounter.CHECK_PROCESSED),
                (long) metrics.deadLetterCount(),
                (long) metrics.count(DecisionCounter.COMMAND_ISSUED),
                (long) (metrics.outcomeCount(RestartResult.SUCCEEDED.name())
                        + metrics.outcomeCount(RestartResult.SKIPPED_ALREADY_RESTARTED.name())),
                (long) (metrics.outcomeCount(RestartResult.FAILED.name()) + metrics.outcomeCount(RestartResult.EXPIRED.name())
                        + metrics.outcomeCount(RestartResult.REJECTED.name())),
                (long) metrics.count(DecisionCounter.SESSION_FAILED),
                (long) metrics.alertsFiredCount(),
                times);
    }

    @Override
    public String streamsState() {
        return streams.state().name();
    }

    @Override
    public boolean running() {
        return health.get().up();
    }

    @Override
    public List<String> healthReasons() {
        return health.get().reasons();
    }

    @Override
    public List<AlertView> recentAlerts(int limit) {
        return alerts.history(limit);
    }

    @Override
    public List<AlertView> activeAlerts() {
        return alerts.active();
    }

    @Override
    public Optional<RemoteOwner> ownerOf(String sessionId) {
        if (!streams.state().isRunningOrRebalancing()) {
            // queryMetadataForKey would throw IllegalStateException, which elsewhere means a bug
            throw new NotReadyException("Kafka Streams is " + streams.state());
        }
        KeyQueryMetadata metadata = query(() -> streams.queryMetadataForKey(StoreNames.SESSIONS, sessionId,
                Serdes.String().serializer()));
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return Optional.empty();
        }
        HostInfo owner = metadata.activeHost();
        if (owner == null || owner.equals(self) || owner.port() <= 0) {
            return Optional.empty();
        }
        return Optional.of(new RemoteOwner(owner.host(), owner.port()));
    }

    private ReadOnlyKeyValueStore<String, SessionState> sessions() {
        return query(() -> streams.store(StoreQueryParameters.fromNameAndType(StoreNames.SESSIONS,
                QueryableStoreTypes.<String, SessionState>keyValueStore())));
    }

    /** Kafka's "store not queryable now" (starting, rebalancing, migrated) typed as not ready: 503, retry. */
    private static <T> T query(Supplier<T> read) {
        try {
            return read.get();
        } catch (InvalidStateStoreException e) {
            throw new NotReadyException(e.getMessage(), e);
        }
    }

    private List<CheckView> history(String sessionId) {
        ReadOnlyWindowStore<String, CheckSummary> history = query(() -> streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.CHECK_HISTORY, QueryableStoreTypes.<String, CheckSummary>windowStore())));
        Deque<CheckView> newestFirst = new ArrayDeque<>();
        try (WindowStoreIterator<CheckSummary> it = history.backwardFetch(sessionId, Instant.EPOCH, Instant.now().plusSeconds(3600))) {
            while (it.hasNext() && newestFirst.size() < HISTORY_LIMIT) {
                CheckSummary check = it.next().value;
                newestFirst.add(new CheckView(check.time(), check.status(), check.errorCategory(), check.responseTimeMs()));
            }
        }
        List<CheckView> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /** The latest marks (restarts, operator actions), oldest first. */
    private List<MarkView> marks(String sessionId) {
        ReadOnlyWindowStore<String, SessionMark> store = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.SESSION_MARKS, QueryableStoreTypes.<String, SessionMark>windowStore()));
        Deque<MarkView> newestFirst = new ArrayDeque<>();
        try (WindowStoreIterator<SessionMark> it = store.backwardFetch(sessionId, Instant.EPOCH, Instant.now().plusSeconds(3600))) {
            while (it.hasNext() && newestFirst.size() < MARKS_LIMIT) {
                SessionMark mark = it.next().value;
                newestFirst.add(new MarkView(mark.time(), mark.action(), mark.actor(), mark.reason()));
            }
        }
        List<MarkView> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    static SessionView view(SessionState s, List<CheckView> history) {
        return new SessionView(s.sessionId(), s.hostId(), s.containerId(), s.containerName(), s.status(),
                s.consecutiveFailures(), s.restartAttempts(), s.paused(), s.managed(), s.lastProbeTime(),
                s.lastTransitionAt(), s.reason(), s.lastErrorCategory(), s.lastErrorMessage(), s.invalidOverrides(),
                s.conflict() == null ? null : s.conflict().describe(), history);
    }

    /** The metric is in seconds (Prometheus' base unit); the API speaks milliseconds. */
    private static double millis(double seconds) {
        return Math.round(seconds * 1_000_000.0) / 1000.0;
    }

    private static double percentile(HistogramSnapshot snapshot, double p) {
        for (ValueAtPercentile value : snapshot.percentileValues()) {
            if (value.percentile() == p) {
                return value.value();
            }
        }
        return 0;
    }
}

package io.fleethealth.processor.api;

import io.fleethealth.events.HealthStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Fleet state held in memory, changed by the test while the API serves it. */
final class FakeFleetQueries implements FleetQueries {

    private final Map<String, SessionView> sessions = new ConcurrentHashMap<>();
    private final Map<String, RemoteOwner> owners = new ConcurrentHashMap<>();
    private final List<AlertView> alerts = new CopyOnWriteArrayList<>();
    final AtomicInteger ownerLookups = new AtomicInteger();
    final AtomicInteger sessionLookups = new AtomicInteger();
    private volatile boolean running = true;
    private volatile String streamsState = "RUNNING";
    private volatile HostsView hosts = new HostsView(0, 0);
    private volatile StatsView stats = new StatsView(0, 0, 0, 0, 0, 0, 0, StatsView.ResponseTimes.NONE);
    private volatile RuntimeException failure;

    FakeFleetQueries put(SessionView session) {
        sessions.put(session.sessionId(), session);
        return this;
    }

    FakeFleetQueries remove(String sessionId) {
        sessions.remove(sessionId);
        return this;
    }

    FakeFleetQueries ownedBy(String sessionId, RemoteOwner owner) {
        owners.put(sessionId, owner);
        return this;
    }

    FakeFleetQueries alert(AlertView alert) {
        alerts.add(0, alert);
        return this;
    }

    FakeFleetQueries streams(String state, boolean isRunning) {
        this.streamsState = state;
        this.running = isRunning;
        return this;
    }

    FakeFleetQueries hosts(HostsView value) {
        this.hosts = value;
        return this;
    }

    FakeFleetQueries stats(StatsView value) {
        this.stats = value;
        return this;
    }

    /** Every query throws this from now on, as stores do while Kafka Streams rebalances. */
    FakeFleetQueries failWith(RuntimeException e) {
        this.failure = e;
        return this;
    }

    private void maybeFail() {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public Optional<SessionView> session(String sessionId) {
        maybeFail();
        sessionLookups.incrementAndGet();
        return Optional.ofNullable(sessions.get(sessionId));
    }

    @Override
    public List<SessionView> sessions(Optional<HealthStatus> status) {
        maybeFail();
        List<SessionView> matching = new ArrayList<>();
        for (SessionView session : sessions.values()) {
            if (status.isEmpty() || status.get() == session.status()) {
                matching.add(session);
            }
        }
        matching.sort(Comparator.comparing(SessionView::sessionId));
        return matching;
    }

    @Override
    public SessionPage sessions(Optional<HealthStatus> status, Optional<String> afterSessionId, int limit) {
        maybeFail();
        List<SessionView> after = sessions.values().stream()
                .filter(s -> status.isEmpty() || status.get() == s.status())
                .filter(s -> afterSessionId.isEmpty() || SessionOrder.IDS.compare(s.sessionId(), afterSessionId.get()) > 0)
                .sorted(Comparator.comparing(SessionView::sessionId, SessionOrder.IDS))
                .map(SessionView::withoutHistory)
                .toList();
        return after.size() > limit
                ? new SessionPage(after.subList(0, limit), Optional.of(after.get(limit - 1).sessionId()))
                : new SessionPage(after, Optional.empty());
    }

    @Override
    public Map<HealthStatus, Long> countsByStatus() {
        maybeFail();
        Map<HealthStatus, Long> counts = new EnumMap<>(HealthStatus.class);
        sessions.values().forEach(s -> counts.merge(s.status(), 1L, Long::sum));
        return counts;
    }

    @Override
    public HostsView hosts() {
        maybeFail();
        return hosts;
    }

    @Override
    public StatsView stats() {
        maybeFail();
        return stats;
    }

    @Override
    public String streamsState() {
        return streamsState;
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public List<AlertView> recentAlerts(int limit) {
        maybeFail();
        return alerts.subList(0, Math.min(limit, alerts.size()));
    }

    @Override
    public List<AlertView> activeAlerts() {
        maybeFail();
        return alerts.stream().filter(a -> a.status() == io.fleethealth.events.AlertStatus.FIRING).toList();
    }

    @Override
    public Optional<RemoteOwner> ownerOf(String sessionId) {
        maybeFail();
        ownerLookups.incrementAndGet();
        return Optional.ofNullable(owners.get(sessionId));
    }
}

package io.fleethealth.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.processor.api.AlertView;
import io.fleethealth.processor.api.FleetQueries;
import io.fleethealth.processor.api.HostsView;
import io.fleethealth.processor.api.RemoteOwner;
import io.fleethealth.processor.api.SessionPage;
import io.fleethealth.processor.api.SessionView;
import io.fleethealth.processor.api.StatsView;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FleetViewTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void shouldListTheWorstSessionsFirstWithTheirCountersAndLastError() {
        FleetQueries queries = new Fixed(List.of(
                session("web-1", HealthStatus.HEALTHY, 0, 0, null),
                session("web-2", HealthStatus.FAILED, 3, 3, "exited with code 1"),
                session("web-3", HealthStatus.UNHEALTHY, 2, 0, "healthcheck failing")));
        StringBuilder screen = new StringBuilder();

        new FleetView(queries, "header", List::of).render(screen, NOW);

        List<String> rows = screen.toString().lines().filter(l -> l.startsWith("web-")).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).startsWith("web-2").contains("FAILED").contains("exited with code 1").contains("30s ago");
        assertThat(rows.get(1)).startsWith("web-3").contains("UNHEALTHY");
        assertThat(rows.get(2)).startsWith("web-1").contains("HEALTHY");
        assertThat(screen.toString()).contains("FAILED        1").contains("HEALTHY       1");
    }

    @Test
    void shouldMarkASessionThatOptedOutAsNotManaged() {
        SessionView managed = session("web-1", HealthStatus.UNHEALTHY, 2, 0, "healthcheck failing");
        SessionView quiet = session("web-2", HealthStatus.UNHEALTHY, 5, 0, "exited with code 1");
        quiet = new SessionView(quiet.sessionId(), quiet.hostId(), quiet.containerId(), quiet.containerName(),
                quiet.status(), quiet.consecutiveFailures(), quiet.restartAttempts(), false, false, quiet.lastCheckAt(),
                quiet.lastTransitionAt(), quiet.reason(), quiet.lastErrorCategory(), quiet.lastErrorMessage(), null,
                List.of());
        StringBuilder screen = new StringBuilder();

        new FleetView(new Fixed(List.of(managed, quiet)), "header", List::of).render(screen, NOW);

        assertThat(screen.toString().lines().filter(l -> l.startsWith("web-2")))
                .singleElement().asString().contains("[not managed] exited with code 1");
        assertThat(screen.toString().lines().filter(l -> l.startsWith("web-1")))
                .singleElement().asString().doesNotContain("not managed");
    }

    @Test
    void shouldSayHowToGetASessionWhenThereIsNone() {
        StringBuilder screen = new StringBuilder();
        new FleetView(new Fixed(List.of()), "header", List::of).render(screen, NOW);
        assertThat(screen.toString()).contains("fleet-health.session=<id>");
    }

    @Test
    void shouldNotShowAnOldErrorOnAHealthyRow() {
        FleetQueries queries = new Fixed(List.of(session("web-1", HealthStatus.HEALTHY, 0, 0, "exited with code 1",
                "1 consecutive success(es)")));
        StringBuilder screen = new StringBuilder();

        new FleetView(queries, "header", List::of).render(screen, NOW);

        String row = screen.toString().lines().filter(l -> l.startsWith("web-1")).findFirst().orElseThrow();
        assertThat(row.strip()).doesNotContain("exited").doesNotContain("success").endsWith("30s ago");
    }

    @Test
    void shouldSayWhyASessionIsUnknownWhenItsEngineIsUnreachable() {
        FleetQueries queries = new Fixed(List.of(session("web-1", HealthStatus.UNKNOWN, 0, 0, null,
                "docker engine on host host-a unreachable: connection refused")));
        StringBuilder screen = new StringBuilder();

        new FleetView(queries, "header", List::of).render(screen, NOW);

        assertThat(screen.toString()).contains("UNKNOWN").contains("docker engine on host host-a unreachable");
    }

    @Test
    void shouldPutProblemsAboveTheTable() {
        StringBuilder screen = new StringBuilder();
        new FleetView(new Fixed(List.of()), "header", () -> List.of("Docker engine unreachable at unix:///nope.sock"))
                .appendProblems(screen);
        assertThat(screen.toString()).isEqualTo("!! Docker engine unreachable at unix:///nope.sock\n");
    }

    private static SessionView session(String id, HealthStatus status, int failures, int restarts, String error) {
        return session(id, status, failures, restarts, error, "");
    }

    private static SessionView session(String id, HealthStatus status, int failures, int restarts, String error,
                                       String reason) {
        return new SessionView(id, "host-a", "cid-" + id, id, status, failures, restarts, false, true,
                NOW.minusSeconds(30), NOW.minusSeconds(60), reason, error == null ? ErrorCategory.NONE : ErrorCategory.EXITED,
                error, null, List.of());
    }

    private record Fixed(List<SessionView> sessions) implements FleetQueries {
        @Override
        public Optional<SessionView> session(String sessionId) {
            return sessions.stream().filter(s -> s.sessionId().equals(sessionId)).findFirst();
        }

        @Override
        public List<SessionView> sessions(Optional<HealthStatus> status) {
            return sessions;
        }

        @Override
        public SessionPage sessions(Optional<HealthStatus> status, Optional<String> afterSessionId, int limit) {
            throw new UnsupportedOperationException("the fleet view reads the whole list");
        }

        @Override
        public Map<HealthStatus, Long> countsByStatus() {
            Map<HealthStatus, Long> counts = new EnumMap<>(HealthStatus.class);
            sessions.forEach(s -> counts.merge(s.status(), 1L, Long::sum));
            return counts;
        }

        @Override
        public HostsView hosts() {
            return new HostsView(1, 0);
        }

        @Override
        public StatsView stats() {
            return new StatsView(0, 0, 0, 0, 0, 0, 0, StatsView.ResponseTimes.NONE);
        }

        @Override
        public String streamsState() {
            return "RUNNING";
        }

        @Override
        public boolean running() {
            return true;
        }

        @Override
        public List<AlertView> recentAlerts(int limit) {
            return List.of();
        }

        @Override
        public List<AlertView> activeAlerts() {
            return List.of();
        }

        @Override
        public Optional<RemoteOwner> ownerOf(String sessionId) {
            return Optional.empty();
        }
    }
}

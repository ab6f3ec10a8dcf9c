package io.fleethealth.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.cli.testing.Events;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.RestartCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportBuilderTest {

    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    @Test
    void shouldMeasureTimeToDetectFromTheFirstFailedCheckOfTheRun() {
        CheckHistory history = history("s", "SFFF");  // failures at 30, 60, 90 s
        DecisionSet set = set("a", command("s", 1, 1, 90));

        Report report = ReportBuilder.build(set, set, history, Duration.ofSeconds(60), 5);

        assertThat(report.baseline().timeToDetect().count()).isEqualTo(1);
        assertThat(report.baseline().timeToDetect().p50()).isEqualTo(60.0);
    }

    @Test
    void shouldCountARestartFollowedByAFailureWithinTheWindowAsWithoutLastingEffect() {
        CheckHistory history = history("s", "SFFFSSF");  // restart not before 95 s, failure again at 180 s
        DecisionSet set = set("a", command("s", 1, 1, 90));

        assertThat(ReportBuilder.ineffective(set, history, Duration.ofSeconds(60))).isZero();
        assertThat(ReportBuilder.ineffective(set, history, Duration.ofSeconds(90))).isEqualTo(1);
    }

    @Test
    void shouldCallSessionsRestartedInTwoEpisodesFlappingAndFindFailedOnes() {
        DecisionSet set = new DecisionSet("a", "p", "replay", Map.of(),
                List.of(command("s1", 1, 1, 90), command("s1", 2, 1, 900), command("s2", 1, 1, 90),
                        command("s2", 1, 2, 120)),
                List.of(), List.of(AuditEvent.newBuilder().setEventId("e").setSessionId("s2")
                        .setAction(AuditAction.SESSION_FAILED).setActor("health-processor").setTime(T0).build()));

        assertThat(ReportBuilder.flapping(set)).containsExactly("s1");
        assertThat(ReportBuilder.failedSessions(set)).containsExactly("s2");
    }

    @Test
    void shouldTellIdenticalMissingAndDifferingCommandsApart() {
        RestartCommand same = command("s1", 1, 1, 90);
        RestartCommand moved = command("s2", 1, 1, 90);
        RestartCommand movedLater = RestartCommand.newBuilder(moved).setNotBefore(moved.getNotBefore().plusSeconds(5)).build();
        RestartCommand onlyA = command("s3", 1, 1, 90);
        RestartCommand onlyB = command("s4", 1, 1, 90);

        Report.CommandComparison c = ReportBuilder.compare(List.of(same, moved, onlyA), List.of(same, movedLater, onlyB));

        assertThat(c.identical()).isEqualTo(1);
        assertThat(c.onlyInBaseline()).extracting(Report.CommandRef::sessionId).containsExactly("s3");
        assertThat(c.onlyInCandidate()).extracting(Report.CommandRef::sessionId).containsExactly("s4");
        assertThat(c.differing()).singleElement().satisfies(d ->
                assertThat(d.candidate().notBefore()).isEqualTo(moved.getNotBefore().plusSeconds(5)));
        assertThat(c.same()).isFalse();
    }

    /** One check per 30 s from T0: S = healthy, F = failed. */
    private static CheckHistory history(String session, String pattern) {
        CheckHistory history = CheckHistory.empty();
        for (int i = 0; i < pattern.length(); i++) {
            history.add(Events.check(session, session + i, T0.plusSeconds(30L * i), pattern.charAt(i) == 'S'));
        }
        history.sortAll();
        return history;
    }

    private static DecisionSet set(String label, RestartCommand... commands) {
        return new DecisionSet(label, "p", "replay", Map.of(), List.of(commands), List.of(), List.of());
    }

    private static RestartCommand command(String session, int episode, int attempt, long issuedSeconds) {
        Instant issued = T0.plusSeconds(issuedSeconds);
        return RestartCommand.newBuilder().setCommandId(session + "-" + episode + "-" + attempt).setSessionId(session)
                .setHostId("h").setContainerId("c").setContainerName("n").setAttempt(attempt).setEpisode(episode)
                .setReason("test").setIssuedAt(issued).setNotBefore(issued.plusSeconds(5))
                .setExpiresAt(issued.plusSeconds(120)).build();
    }
}

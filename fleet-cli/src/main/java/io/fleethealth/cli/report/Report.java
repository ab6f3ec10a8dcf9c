package io.fleethealth.cli.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The comparison of two decision sets, as printed, serialized to JSON and drawn.
 *
 * @param baseline   the first set (usually the live decisions)
 * @param candidate  the second set (a replay)
 * @param restarts   how their restart commands match
 * @param effectWindow seconds after a restart within which a new failure means it had no lasting effect
 * @param timelines  per-session series for the charts (the sessions that differ first)
 */
public record Report(SetSummary baseline, SetSummary candidate, CommandComparison restarts, long effectWindow,
                     List<SessionTimeline> timelines) {

    /**
     * What one set decided.
     *
     * @param label              its name in the report
     * @param path               where it was read from
     * @param kind               export or replay
     * @param settings           its decision settings when known
     * @param restarts           restart commands issued
     * @param sessionsRestarted  distinct sessions with at least one command
     * @param failedSessions     sessions that ended FAILED (given up) at some point
     * @param flappingSessions   sessions restarted in two or more failure episodes (recovered, then failed again)
     * @param ineffectiveRestarts restarts followed by a failed check within the effect window
     * @param timeToDetect       first failed check of a run to its first restart command, seconds
     */
    public record SetSummary(String label, String path, String kind, Map<String, String> settings, int restarts,
                             int sessionsRestarted, List<String> failedSessions, List<String> flappingSessions,
                             int ineffectiveRestarts, Distribution timeToDetect) {
    }

    /**
     * Commands matched by id (ids are deterministic: session, container, episode and attempt).
     *
     * @param identical      same id, session, attempt, episode, host, container and not-before
     * @param onlyInBaseline commands the candidate did not issue
     * @param onlyInCandidate commands the baseline did not issue
     * @param differing      same id, other fields differ
     */
    public record CommandComparison(int identical, List<CommandRef> onlyInBaseline, List<CommandRef> onlyInCandidate,
                                    List<Difference> differing) {

        public boolean same() {
            return onlyInBaseline.isEmpty() && onlyInCandidate.isEmpty() && differing.isEmpty();
        }
    }

    /** The identity of a restart command. */
    public record CommandRef(String commandId, String sessionId, int episode, int attempt, Instant issuedAt,
                             Instant notBefore) {
    }

    /** One command both sets issued under the same id, but not alike. */
    public record Difference(CommandRef baseline, CommandRef candidate) {
    }

    /**
     * A session over time for the timeline chart.
     *
     * @param sessionId          the session
     * @param checks             probe times (epoch ms) with verdict: S(uccess), F(ailure), N(eutral)
     * @param baselineRestarts   not-before times of the baseline's commands
     * @param candidateRestarts  not-before times of the candidate's commands
     * @param baselineStatuses   status changes of the baseline (epoch ms, status), when it has them
     * @param candidateStatuses  status changes of the candidate
     */
    public record SessionTimeline(String sessionId, List<Point> checks, List<Long> baselineRestarts,
                                  List<Long> candidateRestarts, List<Point> baselineStatuses,
                                  List<Point> candidateStatuses) {
    }

    /** A time (epoch ms) and what happened then. */
    public record Point(long at, String what) {
    }
}

package io.fleethealth.cli.report;

import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.SessionStatus;
import io.fleethealth.contract.check.CheckVerdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import io.fleethealth.cli.report.Report.CommandComparison;

/** Compares two decision sets against the check history they were decided on. */
public final class ReportBuilder {

    static final int BUCKETS = 12;

    private ReportBuilder() {
    }

    public static Report build(DecisionSet baseline, DecisionSet candidate, CheckHistory history,
                               Duration effectWindow, int maxTimelines) {
        List<Double> ttdA = timeToDetect(baseline, history);
        List<Double> ttdB = timeToDetect(candidate, history);
        double longest = java.util.stream.Stream.concat(ttdA.stream(), ttdB.stream()).mapToDouble(d -> d).max().orElse(0);
        double bucket = Math.max(1, Math.ceil(longest / (BUCKETS - 1)));
        CommandComparison comparison = compare(baseline.commands(), candidate.commands());
        return new Report(summary(baseline, history, effectWindow, Distribution.of(ttdA, bucket, BUCKETS)),
                summary(candidate, history, effectWindow, Distribution.of(ttdB, bucket, BUCKETS)),
                comparison, effectWindow.toSeconds(),
                timelines(baseline, candidate, history, comparison, maxTimelines));
    }

    private static Report.SetSummary summary(DecisionSet set, CheckHistory history, Duration effectWindow,
                                             Distribution ttd) {
        Set<String> restarted = set.commands().stream().map(RestartCommand::getSessionId)
                .collect(Collectors.toCollection(TreeSet::new));
        return new Report.SetSummary(set.label(), set.path(), set.kind(), set.settings(), set.commands().size(),
                restarted.size(), failedSessions(set), flapping(set), ineffective(set, history, effectWindow), ttd);
    }

    static List<String> failedSessions(DecisionSet set) {
        Set<String> failed = new TreeSet<>();
        for (HistoryRecord<SessionStatus> status : set.statuses()) {
            if (status.value() != null && status.value().getStatus() == HealthStatus.FAILED) {
                failed.add(status.value().getSessionId());
            }
        }
        for (AuditEvent audit : set.audits()) {
            if (audit.getAction() == AuditAction.SESSION_FAILED) {
                failed.add(audit.getSessionId());
            }
        }
        return List.copyOf(failed);
    }

    /** Sessions restarted in two or more failure episodes: they recovered and failed again. */
    static List<String> flapping(DecisionSet set) {
        Map<String, Set<Integer>> episodes = new HashMap<>();
        for (RestartCommand command : set.commands()) {
            episodes.computeIfAbsent(command.getSessionId(), k -> new HashSet<>()).add(command.getEpisode());
        }
        return episodes.entrySet().stream().filter(e -> e.getValue().size() >= 2).map(Map.Entry::getKey).sorted().toList();
    }

    /** First failed check of the run to the first command of the episode, in seconds. */
    static List<Double> timeToDetect(DecisionSet set, CheckHistory history) {
        List<Double> seconds = new ArrayList<>();
        for (RestartCommand command : set.commands()) {
            if (command.getAttempt() != 1) {
                continue;
            }
            history.failureRunStart(command.getSessionId(), command.getIssuedAt()).ifPresent(start ->
                    seconds.add(Duration.between(start, command.getIssuedAt()).toMillis() / 1000.0));
        }
        return seconds;
    }

    /**
     * Restarts after which the container failed again within the window: counted from when the agent reported
     * the restart done, or from the command's not-before time when the history has no such outcome (a
     * replayed command the live run never issued).
     */
    static int ineffective(DecisionSet set, CheckHistory history, Duration window) {
        int count = 0;
        for (RestartCommand command : set.commands()) {
            var restartedAt = history.restartDone(command.getCommandId()).orElse(command.getNotBefore());
            if (history.firstFailureBetween(command.getSessionId(), restartedAt, restartedAt.plus(window)).isPresent()) {
                count++;
            }
        }
        return count;
    }

    static CommandComparison compare(List<RestartCommand> baseline, List<RestartCommand> candidate) {
        Map<String, Report.CommandRef> a = byId(baseline);
        Map<String, Report.CommandRef> b = byId(candidate);
        int identical = 0;
        List<Report.CommandRef> onlyA = new ArrayList<>();
        List<Report.Difference> differing = new ArrayList<>();
        for (Report.CommandRef ref : a.values()) {
            Report.CommandRef other = b.get(ref.commandId());
            if (other == null) {
                onlyA.add(ref);
            } else if (ref.equals(other)) {
                identical++;
            } else {
                differing.add(new Report.Difference(ref, other));
            }
        }
        List<Report.CommandRef> onlyB = b.values().stream().filter(ref -> !a.containsKey(ref.commandId())).toList();
        return new CommandComparison(identical, sorted(onlyA), sorted(onlyB), differing);
    }

    private static List<Report.CommandRef> sorted(List<Report.CommandRef> refs) {
        return refs.stream().sorted(Comparator.comparing(Report.CommandRef::issuedAt)
                .thenComparing(Report.CommandRef::sessionId)).toList();
    }

    /** Commands by id; a duplicate (a producer retry outside a transaction) counts once. */
    private static Map<String, Report.CommandRef> byId(List<RestartCommand> commands) {
        Map<String, Report.CommandRef> refs = new LinkedHashMap<>();
        for (RestartCommand c : commands) {
            refs.putIfAbsent(c.getCommandId(), new Report.CommandRef(c.getCommandId(), c.getSessionId(), c.getEpisode(),
                    c.getAttempt(), c.getIssuedAt(), c.getNotBefore()));
        }
        return refs;
    }

    /** The sessions whose commands differ first, then the most restarted ones. */
    private static List<Report.SessionTimeline> timelines(DecisionSet a, DecisionSet b, CheckHistory history,
                                                          CommandComparison comparison, int max) {
        Set<String> chosen = new LinkedHashSet<>();
        comparison.onlyInBaseline().forEach(r -> chosen.add(r.sessionId()));
        comparison.onlyInCandidate().forEach(r -> chosen.add(r.sessionId()));
        comparison.differing().forEach(d -> chosen.add(d.baseline().sessionId()));
        Map<String, Long> restarts = java.util.stream.Stream.concat(a.commands().stream(), b.commands().stream())
                .collect(Collectors.groupingBy(RestartCommand::getSessionId, Collectors.counting()));
        restarts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> chosen.add(e.getKey()));
        return chosen.stream().limit(max).map(session -> timeline(session, a, b, history)).toList();
    }

    private static Report.SessionTimeline timeline(String session, DecisionSet a, DecisionSet b, CheckHistory history) {
        long[] times = history.times(session);
        CheckVerdict[] verdicts = history.verdicts(session);
        List<Report.Point> checks = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            checks.add(new Report.Point(times[i], verdicts[i].name().substring(0, 1)));
        }
        return new Report.SessionTimeline(session, checks, restarts(a, session), restarts(b, session),
                statuses(a, session), statuses(b, session));
    }

    private static List<Long> restarts(DecisionSet set, String session) {
        return set.commands().stream().filter(c -> c.getSessionId().equals(session))
                .map(c -> c.getNotBefore().toEpochMilli()).toList();
    }

    private static List<Report.Point> statuses(DecisionSet set, String session) {
        return set.statuses().stream().filter(s -> session.equals(s.key()) && s.value() != null)
                .map(s -> new Report.Point(s.timestamp().toEpochMilli(), s.value().getStatus().name()))
                .filter(Objects::nonNull).toList();
    }
}

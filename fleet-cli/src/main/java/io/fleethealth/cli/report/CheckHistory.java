package io.fleethealth.cli.report;

import io.fleethealth.cli.source.ExportFolder;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import io.fleethealth.contract.check.CheckVerdict;
import io.fleethealth.topics.Topics;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of the history, compact: per session, probe times with their verdict, sorted. Enough to say
 * when a run of failures began and whether a restart held, for a million checks in a few MB.
 */
public final class CheckHistory {

    private final Map<String, Timeline> sessions = new HashMap<>();
    private final Map<String, Instant> restartsDone = new HashMap<>();

    public static CheckHistory of(ExportFolder folder) {
        CheckHistory history = new CheckHistory();
        folder.forEach(Topics.HEALTH_CHECKS, r -> {
            if (r.value() != null) {
                history.add(r.value());
            }
        });
        folder.forEach(Topics.RESTART_OUTCOMES, r -> {
            if (r.value() != null) {
                history.add(r.value());
            }
        });
        history.sessions.values().forEach(Timeline::sort);
        return history;
    }

    public static CheckHistory empty() {
        return new CheckHistory();
    }

    void add(HealthCheckResult check) {
        sessions.computeIfAbsent(check.getSessionId(), k -> new Timeline())
                .add(check.getProbeTime().toEpochMilli(), CheckVerdict.of(check));
    }

    void add(RestartOutcome outcome) {
        if (outcome.getResult() == RestartResult.SUCCEEDED) {
            restartsDone.putIfAbsent(outcome.getCommandId(), outcome.getExecutedAt());
        }
    }

    void sortAll() {
        sessions.values().forEach(Timeline::sort);
    }

    public boolean isEmpty() {
        return sessions.isEmpty();
    }

    public Set<String> sessionIds() {
        return sessions.keySet();
    }

    /** When the agent reported the command's restart done, if it did. */
    public Optional<Instant> restartDone(String commandId) {
        return Optional.ofNullable(restartsDone.get(commandId));
    }

    /** The first failure of the run of failures in progress at {@code at}; empty when the last verdict was a success. */
    public Optional<Instant> failureRunStart(String sessionId, Instant at) {
        Timeline timeline = sessions.get(sessionId);
        if (timeline == null) {
            return Optional.empty();
        }
        long limit = at.toEpochMilli();
        long runStart = -1;
        for (int i = 0; i < timeline.size && timeline.times[i] <= limit; i++) {
            CheckVerdict verdict = timeline.verdicts[i];
            if (verdict == CheckVerdict.SUCCESS) {
                runStart = -1;
            } else if (verdict == CheckVerdict.FAILURE && runStart < 0) {
                runStart = timeline.times[i];
            }
        }
        return runStart < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(runStart));
    }

    /** The first failed check after {@code from} up to {@code until} (inclusive), if any. */
    public Optional<Instant> firstFailureBetween(String sessionId, Instant from, Instant until) {
        Timeline timeline = sessions.get(sessionId);
        if (timeline == null) {
            return Optional.empty();
        }
        long start = from.toEpochMilli();
        long end = until.toEpochMilli();
        for (int i = 0; i < timeline.size; i++) {
            long t = timeline.times[i];
            if (t > start && t <= end && timeline.verdicts[i] == CheckVerdict.FAILURE) {
                return Optional.of(Instant.ofEpochMilli(t));
            }
        }
        return Optional.empty();
    }

    /** The checks of one session as (time, verdict) points, for the timeline chart. */
    public long[] times(String sessionId) {
        Timeline timeline = sessions.get(sessionId);
        return timeline == null ? new long[0] : Arrays.copyOf(timeline.times, timeline.size);
    }

    public CheckVerdict[] verdicts(String sessionId) {
        Timeline timeline = sessions.get(sessionId);
        return timeline == null ? new CheckVerdict[0] : Arrays.copyOf(timeline.verdicts, timeline.size);
    }

    /** Growable parallel arrays; sorted by time once loading is done. */
    private static final class Timeline {
        long[] times = new long[16];
        CheckVerdict[] verdicts = new CheckVerdict[16];
        int size;

        void add(long time, CheckVerdict verdict) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                verdicts = Arrays.copyOf(verdicts, size * 2);
            }
            times[size] = time;
            verdicts[size] = verdict;
            size++;
        }

        void sort() {
            boolean sorted = true;
            for (int i = 1; i < size && sorted; i++) {
                sorted = times[i - 1] <= times[i];
            }
            if (sorted) {
                return;
            }
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(times[a], times[b]));
            long[] t = new long[size];
            CheckVerdict[] v = new CheckVerdict[size];
            for (int i = 0; i < size; i++) {
                t[i] = times[order[i]];
                v[i] = verdicts[order[i]];
            }
            times = t;
            verdicts = v;
        }
    }
}

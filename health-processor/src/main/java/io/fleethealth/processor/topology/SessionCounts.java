package io.fleethealth.processor.topology;

import io.fleethealth.events.HealthStatus;
import io.fleethealth.processor.decision.SessionState;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.streams.processor.TaskId;

/**
 * How many sessions this instance's active tasks hold, by status, kept as decisions are made: {@code GET /health}
 * and {@code fleet_sessions} read them without scanning the store. Each task counts its store once when its decision
 * processor starts (after restoration) and then follows every state it writes; a closed task takes its counts
 * along. Written by stream threads (one per task), read by any thread.
 */
public final class SessionCounts {

    private static final HealthStatus[] STATUSES = HealthStatus.values();

    private final Map<TaskId, TaskCounts> tasks = new ConcurrentHashMap<>();

    /** Starts counting a task from what its store holds now. */
    TaskCounts open(TaskId task, Iterator<SessionState> stored) {
        TaskCounts counts = new TaskCounts(task);
        stored.forEachRemaining(state -> counts.moved(null, state.status()));
        tasks.put(task, counts);
        return counts;
    }

    /** Forgets a task, unless another processor already opened it again. */
    void close(TaskCounts counts) {
        tasks.remove(counts.task, counts);
    }

    /** Sessions per status over every active task of this instance; every status is present. */
    public Map<HealthStatus, Long> byStatus() {
        Map<HealthStatus, Long> sum = new EnumMap<>(HealthStatus.class);
        for (HealthStatus status : STATUSES) {
            sum.put(status, 0L);
        }
        for (TaskCounts counts : tasks.values()) {
            for (HealthStatus status : STATUSES) {
                sum.merge(status, counts.byStatus.get(status.ordinal()), Long::sum);
            }
        }
        return sum;
    }

    /** The partitions whose session store is active here and counted: where a listing of sessions looks. */
    public Set<Integer> partitions() {
        Set<Integer> partitions = new TreeSet<>();
        tasks.keySet().forEach(task -> partitions.add(task.partition()));
        return partitions;
    }

    /** One task's counts, changed only by the thread running the task. */
    static final class TaskCounts {

        private final TaskId task;
        private final AtomicLongArray byStatus = new AtomicLongArray(STATUSES.length);

        private TaskCounts(TaskId task) {
            this.task = task;
        }

        /** A session went from one status to another; null for "no session" (created or ended). */
        void moved(HealthStatus from, HealthStatus to) {
            if (from == to) {
                return;
            }
            if (from != null) {
                byStatus.decrementAndGet(from.ordinal());
            }
            if (to != null) {
                byStatus.incrementAndGet(to.ordinal());
            }
        }
    }
}

package io.fleethealth.processor.topology;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.streams.processor.TaskId;

/**
 * How many entries of a store this instance's active tasks hold, by kind (a session's status, a host's
 * liveness), kept as the processors write them: {@code GET /health} and {@code fleet_sessions} read them without
 * scanning a store. Each task counts its store once when its processor starts (after restoration) and then follows
 * every change it writes; a closed task takes its counts along. Written by stream threads (one per task), read by
 * any thread.
 */
public final class LiveCounts<E extends Enum<E>> {

    private final Class<E> kind;
    private final E[] kinds;
    private final Map<TaskId, Tally<E>> tasks = new ConcurrentHashMap<>();

    public LiveCounts(Class<E> kind) {
        this.kind = kind;
        this.kinds = kind.getEnumConstants();
    }

    /** Starts counting a task from the kinds its store holds now. */
    Tally<E> open(TaskId task, Iterator<E> stored) {
        Tally<E> tally = new Tally<>(task, kinds.length);
        stored.forEachRemaining(value -> tally.moved(null, value));
        tasks.put(task, tally);
        return tally;
    }

    /** Forgets a task, unless another processor already opened it again. */
    void close(Tally<E> tally) {
        tasks.remove(tally.task, tally);
    }

    /** Entries per kind over every active task of this instance; every kind is present. */
    public Map<E, Long> byKind() {
        Map<E, Long> sum = new EnumMap<>(kind);
        for (E value : kinds) {
            long count = 0;
            for (Tally<E> tally : tasks.values()) {
                count += tally.counts.get(value.ordinal());
            }
            sum.put(value, count);
        }
        return sum;
    }

    /** The partitions whose store is active here and counted: where a listing looks. */
    public Set<Integer> partitions() {
        Set<Integer> partitions = new TreeSet<>();
        tasks.keySet().forEach(task -> partitions.add(task.partition()));
        return partitions;
    }

    /** One task's counts, changed only by the thread running the task. */
    static final class Tally<E extends Enum<E>> {

        private final TaskId task;
        private final AtomicLongArray counts;

        private Tally(TaskId task, int kinds) {
            this.task = task;
            this.counts = new AtomicLongArray(kinds);
        }

        /** An entry went from one kind to another; null for "no entry" (created or deleted). */
        void moved(E from, E to) {
            if (from == to) {
                return;
            }
            if (from != null) {
                counts.decrementAndGet(from.ordinal());
            }
            if (to != null) {
                counts.incrementAndGet(to.ordinal());
            }
        }
    }
}

package io.fleethealth.agent.command;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Which offsets of one partition are safe to commit. A command's offset counts as open from the moment it is read
 * until its outcome is acknowledged; the partition may be committed up to its lowest open offset (or past the last
 * offset read when none is open), never beyond, so a crash never loses a command whose outcome was not produced.
 * Used by the consumer thread only.
 */
final class PartitionProgress {

    private final TreeSet<Long> open = new TreeSet<>();
    // Given up without an outcome (agent stopping): never committed past, but no longer waited for.
    private final TreeSet<Long> abandoned = new TreeSet<>();
    private long afterLastRead = -1;
    private long committed = -1;

    void started(long offset) {
        open.add(offset);
        afterLastRead = Math.max(afterLastRead, offset + 1);
    }

    void finished(long offset) {
        open.remove(offset);
    }

    void abandoned(long offset) {
        if (open.remove(offset)) {
            abandoned.add(offset);
        }
    }

    /** The position to commit when it moved since the last commit. */
    OptionalLong toCommit() {
        long position = afterLastRead;
        if (!open.isEmpty()) {
            position = Math.min(position, open.first());
        }
        if (!abandoned.isEmpty()) {
            position = Math.min(position, abandoned.first());
        }
        return position > committed ? OptionalLong.of(position) : OptionalLong.empty();
    }

    void committed(long position) {
        committed = Math.max(committed, position);
    }

    /** The offset after the last command handed on, the place to read again after a failed batch. */
    OptionalLong nextToRead() {
        return afterLastRead < 0 ? OptionalLong.empty() : OptionalLong.of(afterLastRead);
    }

    int inFlight() {
        return open.size();
    }
}

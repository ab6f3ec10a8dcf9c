package io.fleethealth.cli.replay;

import io.fleethealth.processor.decision.Emitted;
import io.fleethealth.topics.Topics;

/**
 * What a replay read and decided.
 *
 * @param records  input records read
 * @param invalid  records the live processor would have dead-lettered or dropped
 * @param commands restart commands emitted
 * @param statuses session-status records emitted (tombstones included)
 * @param alerts   alerts emitted
 * @param audits   audit events emitted
 * @param sessions sessions with state at the end
 */
public record ReplayStats(long records, long invalid, long commands, long statuses, long alerts, long audits,
                          int sessions) {

    /** The mutable tally behind a snapshot; confined to the replaying thread. */
    static final class Counter {
        long read;
        long invalid;
        long commands;
        long statuses;
        long alerts;
        long audits;

        void count(Emitted<?> emitted) {
            if (emitted.topic().equals(Topics.RESTART_COMMANDS)) {
                commands++;
            } else if (emitted.topic().equals(Topics.SESSION_STATUS)) {
                statuses++;
            } else if (emitted.topic().equals(Topics.ALERTS)) {
                alerts++;
            } else if (emitted.topic().equals(Topics.AUDIT)) {
                audits++;
            }
        }

        ReplayStats snapshot(int sessions) {
            return new ReplayStats(read, invalid, commands, statuses, alerts, audits, sessions);
        }
    }
}

package io.fleethealth.processor.topology;

/**
 * A decoded input with its original bytes, so that a processor further down can still dead-letter the
 * record untouched (e.g. when what it decided cannot be encoded).
 *
 * @param event the decoded event (a session event, or a heartbeat)
 * @param raw   the record's value as it came from the topic
 */
record Decoded(Object event, byte[] raw) {
}

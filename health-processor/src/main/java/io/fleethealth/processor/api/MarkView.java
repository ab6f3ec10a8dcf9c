package io.fleethealth.processor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a session besides its checks, for its timeline: a restart issued or its outcome,
 * an operator's reset, pause or resume, the session giving up or recovering.
 *
 * @param time   when (the decision's event time)
 * @param action the audit action, e.g. COMMAND_ISSUED, OPERATOR_RESET
 * @param actor  who: health-processor, or the operator
 * @param reason in words
 */
public record MarkView(Instant time, String action, String actor, String reason) {

    public MarkView {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(action, "action");
    }
}

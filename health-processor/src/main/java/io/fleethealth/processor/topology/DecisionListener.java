package io.fleethealth.processor.topology;

import io.fleethealth.processor.decision.Decision;
import io.fleethealth.processor.decision.SessionEvent;

/** What the topology reports as it goes; the metrics implement it, tests may count with it. */
public interface DecisionListener {

    /** Called once per decided event, after its records were forwarded. */
    void onDecision(SessionEvent event, Decision decision);

    void onDeadLetter(String sourceTopic);

    /** A record that could not be read where no dead-letter topic can be written (the global store). */
    default void onSkipped(String sourceTopic) {
    }

    /** Called after a scan sent {@code count} still-active alerts again. */
    default void onAlertsResent(int count) {
    }

    DecisionListener NONE = new DecisionListener() {
        @Override
        public void onDecision(SessionEvent event, Decision decision) {
        }

        @Override
        public void onDeadLetter(String sourceTopic) {
        }
    };
}

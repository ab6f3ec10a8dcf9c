package io.fleethealth.processor.topology;

import io.fleethealth.processor.decision.Decision;

/** What the topology reports as it goes; the metrics implement it, tests may count with it. */
public interface DecisionListener {

    void onDecision(Decision decision);

    void onDeadLetter(String sourceTopic);

    DecisionListener NONE = new DecisionListener() {
        @Override
        public void onDecision(Decision decision) {
        }

        @Override
        public void onDeadLetter(String sourceTopic) {
        }
    };
}

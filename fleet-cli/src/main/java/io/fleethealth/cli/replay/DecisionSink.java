package io.fleethealth.cli.replay;

import io.fleethealth.processor.decision.Emitted;

/** Where a replay puts the records its decisions emit. Never the live topics. */
public interface DecisionSink extends AutoCloseable {

    void accept(Emitted<?> emitted);

    /** Flushes and closes; the output is complete only after this returns. */
    @Override
    void close();
}

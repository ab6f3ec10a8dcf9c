package io.fleethealth.cli.replay;

import io.fleethealth.processor.decision.Emitted;
import java.util.List;

/** Sends each decision to several sinks, and closes them all. */
public final class TeeSink implements DecisionSink {

    private final List<DecisionSink> sinks;

    public TeeSink(List<DecisionSink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void accept(Emitted<?> emitted) {
        for (DecisionSink sink : sinks) {
            sink.accept(emitted);
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (DecisionSink sink : sinks) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

package io.fleethealth.agent.command;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Delays measured on the test's clock: a wait ends when the test moves the clock past it and calls {@link #elapse}. */
final class ManualDelays implements Delays {

    private record Wait(Instant due, CompletableFuture<Void> done) {
    }

    private final MutableClock clock;
    private final List<Wait> waits = new CopyOnWriteArrayList<>();

    ManualDelays(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Void> after(Duration delay) {
        Wait wait = new Wait(clock.instant().plus(delay), new CompletableFuture<>());
        waits.add(wait);
        return wait.done();
    }

    int pending() {
        return (int) waits.stream().filter(w -> !w.done().isDone()).count();
    }

    /** Ends every wait that is due on the clock. */
    void elapse() {
        for (Wait wait : waits) {
            if (!clock.instant().isBefore(wait.due())) {
                waits.remove(wait);
                wait.done().complete(null);
            }
        }
    }
}

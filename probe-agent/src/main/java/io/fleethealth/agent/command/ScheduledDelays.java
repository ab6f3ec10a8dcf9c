package io.fleethealth.agent.command;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@link Delays} on one timer thread. Closing cancels every wait still pending. */
public final class ScheduledDelays implements Delays, AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "restart-not-before");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

    @Override
    public CompletableFuture<Void> after(Duration delay) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.add(done);
        done.whenComplete((v, e) -> pending.remove(done));
        timer.schedule(() -> done.complete(null), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        return done;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (CompletableFuture<Void> wait : Set.copyOf(pending)) {
            wait.completeExceptionally(new CancellationException("agent stopping"));
        }
    }
}

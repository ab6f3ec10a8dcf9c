package io.fleethealth.agent.command;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Waiting without holding a thread: the future completes once {@code delay} has passed. Tests elapse it by hand. */
@FunctionalInterface
public interface Delays {

    CompletableFuture<Void> after(Duration delay);
}

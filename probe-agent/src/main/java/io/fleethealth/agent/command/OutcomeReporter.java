package io.fleethealth.agent.command;

import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import java.util.concurrent.CompletableFuture;

/** Where outcomes go. The future completes once the outcome (and its audit event) are safely stored. */
@FunctionalInterface
public interface OutcomeReporter {

    CompletableFuture<Void> report(RestartCommand command, RestartOutcome outcome);
}

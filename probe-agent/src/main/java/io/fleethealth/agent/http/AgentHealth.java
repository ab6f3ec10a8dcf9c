package io.fleethealth.agent.http;

import java.time.Instant;
import java.util.Optional;

/**
 * What {@code GET /health} says. UP only when both the engine and Kafka answer: an agent that cannot probe or cannot
 * report is of no use to the fleet.
 */
public record AgentHealth(boolean engineReachable, boolean kafkaReachable, Optional<Instant> lastRoundAt,
                          Optional<Long> lastRoundDurationMs, int containersMonitored) {

    public boolean up() {
        return engineReachable && kafkaReachable;
    }

    /** The JSON body, fields in this order; absent values are null. */
    public Body body() {
        return new Body(up() ? "UP" : "DOWN", engineReachable, kafkaReachable, lastRoundAt.orElse(null),
                lastRoundDurationMs.orElse(null), containersMonitored);
    }

    public record Body(String status, boolean engineReachable, boolean kafkaReachable, Instant lastRoundAt,
                       Long lastRoundDurationMs, int containersMonitored) {
    }
}

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

    public String toJson() {
        return "{\"status\":\"" + (up() ? "UP" : "DOWN") + "\""
                + ",\"engineReachable\":" + engineReachable
                + ",\"kafkaReachable\":" + kafkaReachable
                + ",\"lastRoundAt\":" + lastRoundAt.map(t -> "\"" + t + "\"").orElse("null")
                + ",\"lastRoundDurationMs\":" + lastRoundDurationMs.map(String::valueOf).orElse("null")
                + ",\"containersMonitored\":" + containersMonitored
                + "}";
    }
}

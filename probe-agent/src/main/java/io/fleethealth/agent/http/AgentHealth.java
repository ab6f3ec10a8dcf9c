package io.fleethealth.agent.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code GET /health} says. UP only when the engine answers, checks are being delivered to Kafka and restart
 * commands can be read: an agent that cannot probe, report or act is of no use to the fleet. Each problem is named in
 * {@link #reasons()}, so the operator reads why without opening the log.
 *
 * @param deliveryProblem why checks are not being delivered, empty when they are
 * @param commandProblem why restart commands cannot be read (loop down, undecodable command, broker silent), or empty
 */
public record AgentHealth(boolean engineReachable, Optional<String> deliveryProblem, Optional<String> commandProblem,
                          Optional<Instant> lastRoundAt, Optional<Long> lastRoundDurationMs, int containersMonitored) {

    public boolean up() {
        return engineReachable && deliveryProblem.isEmpty() && commandProblem.isEmpty();
    }

    /** Kafka both takes the agent's records and gives it its commands. */
    public boolean kafkaReachable() {
        return deliveryProblem.isEmpty() && commandProblem.isEmpty();
    }

    public List<String> reasons() {
        List<String> reasons = new ArrayList<>();
        if (!engineReachable) {
            reasons.add("docker engine unreachable in the last probe round");
        }
        deliveryProblem.ifPresent(reasons::add);
        commandProblem.ifPresent(reasons::add);
        return List.copyOf(reasons);
    }

    /** The JSON body, fields in this order; absent values are null. */
    public Body body() {
        return new Body(up() ? "UP" : "DOWN", engineReachable, kafkaReachable(), deliveryProblem.isEmpty(),
                commandProblem.isEmpty(), reasons(), lastRoundAt.orElse(null), lastRoundDurationMs.orElse(null),
                containersMonitored);
    }

    public record Body(String status, boolean engineReachable, boolean kafkaReachable, boolean delivering,
                       boolean readingCommands, List<String> reasons, Instant lastRoundAt, Long lastRoundDurationMs,
                       int containersMonitored) {
    }
}

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
        return reasons;
    }

    public String toJson() {
        return "{\"status\":\"" + (up() ? "UP" : "DOWN") + "\""
                + ",\"engineReachable\":" + engineReachable
                + ",\"kafkaReachable\":" + kafkaReachable()
                + ",\"delivering\":" + deliveryProblem.isEmpty()
                + ",\"readingCommands\":" + commandProblem.isEmpty()
                + ",\"reasons\":" + reasons().stream().map(AgentHealth::quote).toList().toString().replace(", ", ",")
                + ",\"lastRoundAt\":" + lastRoundAt.map(t -> "\"" + t + "\"").orElse("null")
                + ",\"lastRoundDurationMs\":" + lastRoundDurationMs.map(String::valueOf).orElse("null")
                + ",\"containersMonitored\":" + containersMonitored
                + "}";
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}

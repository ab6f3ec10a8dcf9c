package io.fleethealth.agent.docker;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A container event from the engine's stream.
 *
 * @param action the engine's action, e.g. {@code die}, {@code oom}, {@code destroy}, {@code health_status: unhealthy}
 * @param attributes the actor's attributes: the container's labels plus {@code name} and {@code image}
 */
public record ContainerEvent(String containerId, String action, Map<String, String> attributes, Instant time) {

    public ContainerEvent {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(action, "action");
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
        Objects.requireNonNull(time, "time");
    }

    public boolean isHealthUnhealthy() {
        return action.startsWith("health_status") && action.endsWith("unhealthy");
    }
}

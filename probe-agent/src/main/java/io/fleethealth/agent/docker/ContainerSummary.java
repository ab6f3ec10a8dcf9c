package io.fleethealth.agent.docker;

import io.fleethealth.events.DockerState;
import java.util.Map;
import java.util.Objects;

/** One line of the engine's container list: enough to know which session a container serves before inspecting it. */
public record ContainerSummary(String id, String name, String image, Map<String, String> labels, DockerState state) {

    public ContainerSummary {
        Objects.requireNonNull(id, "id");
        name = Objects.requireNonNullElse(name, "");
        image = Objects.requireNonNullElse(image, "");
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        Objects.requireNonNull(state, "state");
    }
}

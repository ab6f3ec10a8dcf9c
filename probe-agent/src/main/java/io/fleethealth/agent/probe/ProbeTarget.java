package io.fleethealth.agent.probe;

import io.fleethealth.agent.docker.ContainerEvent;
import io.fleethealth.agent.docker.ContainerSummary;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A container to probe and the session it serves, known before the probe (from the list or an event). */
public record ProbeTarget(String sessionId, String containerId, String containerName, String image,
                          Map<String, String> labels) {

    public ProbeTarget {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(containerId, "containerId");
        containerName = Objects.requireNonNullElse(containerName, "");
        image = Objects.requireNonNullElse(image, "");
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }

    /** Empty when the container does not carry a non-blank session label: such containers are never probed. */
    public static Optional<ProbeTarget> of(ContainerSummary summary, String sessionLabel) {
        return sessionOf(summary.labels(), sessionLabel)
                .map(session -> new ProbeTarget(session, summary.id(), summary.name(), summary.image(), summary.labels()));
    }

    /** An event's attributes are the container's labels plus {@code name} and {@code image}. */
    public static Optional<ProbeTarget> of(ContainerEvent event, String sessionLabel) {
        Map<String, String> attributes = event.attributes();
        return sessionOf(attributes, sessionLabel).map(session -> new ProbeTarget(session, event.containerId(),
                attributes.get("name"), attributes.get("image"), attributes));
    }

    private static Optional<String> sessionOf(Map<String, String> labels, String sessionLabel) {
        return Optional.ofNullable(labels.get(sessionLabel)).map(String::trim).filter(s -> !s.isEmpty());
    }
}

package io.fleethealth.processor.brake;

import java.util.List;
import java.util.Objects;

/**
 * What the brake knows of a session: where it runs and from which image.
 *
 * @param sessionId the session
 * @param hostId    its host
 * @param image     its image as the agent reports it (empty when unknown: then no image group)
 * @param braked    false when the container opted out with {@link BrakeLabels#BRAKE}{@code =false}
 */
public record SessionRef(String sessionId, String hostId, String image, boolean braked) {

    public SessionRef {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(image, "image");
    }

    /** The groups this session counts in, narrowest first. */
    public List<GroupKey> groups() {
        return image.isBlank()
                ? List.of(GroupKey.host(hostId), GroupKey.fleet())
                : List.of(GroupKey.image(image), GroupKey.host(hostId), GroupKey.fleet());
    }
}

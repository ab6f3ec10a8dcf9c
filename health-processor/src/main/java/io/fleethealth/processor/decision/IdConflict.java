package io.fleethealth.processor.decision;

import java.time.Instant;
import java.util.Objects;

/**
 * Another container sends checks under a session id that a living container owns (a second host, a typo,
 * a copied compose file). Kept beside the owner's state so the API can show it; it never changes the
 * owner's decision.
 *
 * @param hostId        host of the other container
 * @param containerId   the other container
 * @param containerName its name
 * @param since         probe time of its first check seen in this conflict
 * @param lastSeenAt    probe time of its latest check
 */
public record IdConflict(String hostId, String containerId, String containerName, Instant since,
                         Instant lastSeenAt) {

    public IdConflict {
        hostId = Objects.requireNonNullElse(hostId, "");
        containerId = Objects.requireNonNullElse(containerId, "");
        containerName = Objects.requireNonNullElse(containerName, "");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    }

    /** Whether a check from this host and container belongs to this conflict. */
    boolean sameClaimant(String host, String container) {
        return hostId.equals(host) && containerId.equals(container);
    }

    IdConflict seenAt(Instant at) {
        return at.isAfter(lastSeenAt) ? new IdConflict(hostId, containerId, containerName, since, at) : this;
    }

    /** What an operator reads: {@code web (c-2) on host h-2}. */
    public String describe() {
        return containerName + " (" + containerId + ") on host " + hostId;
    }
}

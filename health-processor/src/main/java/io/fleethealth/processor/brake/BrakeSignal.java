package io.fleethealth.processor.brake;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One record of the brake's input partition: what a session decision or an operator told the brake.
 * JSON on an internal topic (like a repartition topic), never read by anything but the brake.
 *
 * @param kind      what happened
 * @param sessionId the session (empty for a release)
 * @param hostId    its host
 * @param image     its image (empty when unknown)
 * @param braked    false when the container opted out
 * @param at        event time
 * @param group     the released group ({@link GroupKey#id()}), for a release only
 * @param operator  who released, for a release only
 * @param command   the restart command the decision wanted, for RESTART_WANTED only
 */
public record BrakeSignal(Kind kind, String sessionId, String hostId, String image, boolean braked, Instant at,
                          String group, String operator, WantedRestart command) {

    public enum Kind {
        SEEN, FAILURE_STARTED, RECOVERED, ENDED, RESTART_WANTED, RELEASE
    }

    /** The fields of a restart command the brake re-issues, unchanged but for its not-before and expiry. */
    public record WantedRestart(String commandId, String containerId, String containerName, int attempt, int episode,
                                String reason, Instant issuedAt, Instant notBefore, Instant expiresAt,
                                int stopTimeoutSeconds) {
    }

    public BrakeSignal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        sessionId = sessionId == null ? "" : sessionId;
        hostId = hostId == null ? "" : hostId;
        image = image == null ? "" : image;
        group = group == null ? "" : group;
        operator = operator == null ? "" : operator;
    }

    public static BrakeSignal release(GroupKey group, String operator, Instant at) {
        return new BrakeSignal(Kind.RELEASE, "", "", "", true, at, group.id(), operator, null);
    }

    SessionRef session() {
        return new SessionRef(sessionId, hostId, image, braked);
    }

    /** Applies this signal to the brake; the same signals in the same order give the same events. */
    public List<BrakeEvent> applyTo(RestartBrake brake) {
        return switch (kind) {
            case SEEN -> brake.seen(session(), at);
            case FAILURE_STARTED -> brake.failureStarted(session(), at);
            case RECOVERED -> brake.recovered(session(), at);
            case ENDED -> brake.ended(sessionId, at);
            case RESTART_WANTED -> brake.restartWanted(session(), at);
            case RELEASE -> brake.release(GroupKey.parse(group), operator, at);
        };
    }
}

package io.fleethealth.processor.api;

import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.SessionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where one session stands, with its recent checks (oldest first). Field names are the API contract of
 * {@code GET /health/container/{sessionId}}; {@code lastCheckAt} and {@code lastErrorMessage} may be null.
 */
public record SessionView(
        String sessionId,
        String hostId,
        String containerId,
        String containerName,
        HealthStatus status,
        int consecutiveFailures,
        int restartAttempts,
        boolean paused,
        Instant lastCheckAt,
        Instant lastTransitionAt,
        String reason,
        ErrorCategory lastErrorCategory,
        String lastErrorMessage,
        List<CheckView> history,
        List<MarkView> marks) {

    public SessionView {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(status, "status");
        history = history == null ? List.of() : List.copyOf(history);
        marks = marks == null ? List.of() : List.copyOf(marks);
    }

    /** A view without marks (restarts and operator actions), as the sessions list and a status record give it. */
    public SessionView(String sessionId, String hostId, String containerId, String containerName, HealthStatus status,
                       int consecutiveFailures, int restartAttempts, boolean paused, Instant lastCheckAt,
                       Instant lastTransitionAt, String reason, ErrorCategory lastErrorCategory, String lastErrorMessage,
                       List<CheckView> history) {
        this(sessionId, hostId, containerId, containerName, status, consecutiveFailures, restartAttempts, paused,
                lastCheckAt, lastTransitionAt, reason, lastErrorCategory, lastErrorMessage, history, List.of());
    }

    /** The same session with its marks, oldest first. */
    public SessionView withMarks(List<MarkView> marks) {
        return new SessionView(sessionId, hostId, containerId, containerName, status, consecutiveFailures,
                restartAttempts, paused, lastCheckAt, lastTransitionAt, reason, lastErrorCategory, lastErrorMessage,
                history, marks);
    }

    /** The view of a status record from fleet.session.status, with the recent checks the caller kept. */
    public static SessionView of(SessionStatus status, List<CheckView> history) {
        return new SessionView(
                status.getSessionId(),
                status.getHostId(),
                status.getContainerId(),
                status.getContainerName(),
                status.getStatus(),
                status.getConsecutiveFailures(),
                status.getRestartAttempts(),
                status.getPaused(),
                status.getLastCheckAt(),
                status.getLastTransitionAt(),
                status.getReason(),
                status.getLastErrorCategory(),
                status.getLastErrorMessage(),
                history);
    }

    /** The same session without its history and marks: what the sessions list returns. */
    public SessionView withoutHistory() {
        return history.isEmpty() && marks.isEmpty() ? this : new SessionView(sessionId, hostId, containerId, containerName, status,
                consecutiveFailures, restartAttempts, paused, lastCheckAt, lastTransitionAt, reason,
                lastErrorCategory, lastErrorMessage, List.of());
    }
}

package io.fleethealth.processor.api;

import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where one session stands, with its recent checks (oldest first). Field names are the API contract of
 * {@code GET /health/container/{sessionId}}; {@code lastCheckAt}, {@code lastErrorMessage} and
 * {@code invalidOverrides} may be null. {@code managed} is false for a container labelled
 * {@code fleet-health.enabled=false}: shown, never restarted, alerted or marked stale. {@code invalidOverrides}
 * names the override labels whose values were not accepted (their defaults apply). {@code idConflict}, may
 * be null, names another container (name, id, host) that sends checks under this session id while its owner
 * lives; its checks are not part of this session's decision. {@code marks} are the session's latest restarts,
 * their outcomes and operator actions (oldest first), for its timeline.
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
        boolean managed,
        Instant lastCheckAt,
        Instant lastTransitionAt,
        String reason,
        ErrorCategory lastErrorCategory,
        String lastErrorMessage,
        String invalidOverrides,
        String idConflict,
        List<CheckView> history,
        List<MarkView> marks) {

    public SessionView {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(status, "status");
        history = history == null ? List.of() : List.copyOf(history);
        marks = marks == null ? List.of() : List.copyOf(marks);
    }

    /** A view without a session-id conflict and without marks, as the sessions list gives it. */
    public SessionView(String sessionId, String hostId, String containerId, String containerName, HealthStatus status,
                       int consecutiveFailures, int restartAttempts, boolean paused, boolean managed,
                       Instant lastCheckAt, Instant lastTransitionAt, String reason, ErrorCategory lastErrorCategory,
                       String lastErrorMessage, String invalidOverrides, List<CheckView> history) {
        this(sessionId, hostId, containerId, containerName, status, consecutiveFailures, restartAttempts, paused,
                managed, lastCheckAt, lastTransitionAt, reason, lastErrorCategory, lastErrorMessage, invalidOverrides,
                null, history, List.of());
    }

    /** A view without marks. */
    public SessionView(String sessionId, String hostId, String containerId, String containerName, HealthStatus status,
                       int consecutiveFailures, int restartAttempts, boolean paused, boolean managed,
                       Instant lastCheckAt, Instant lastTransitionAt, String reason, ErrorCategory lastErrorCategory,
                       String lastErrorMessage, String invalidOverrides, String idConflict, List<CheckView> history) {
        this(sessionId, hostId, containerId, containerName, status, consecutiveFailures, restartAttempts, paused,
                managed, lastCheckAt, lastTransitionAt, reason, lastErrorCategory, lastErrorMessage, invalidOverrides,
                idConflict, history, List.of());
    }

    /** The same session with its marks, oldest first. */
    public SessionView withMarks(List<MarkView> marks) {
        return new SessionView(sessionId, hostId, containerId, containerName, status, consecutiveFailures,
                restartAttempts, paused, managed, lastCheckAt, lastTransitionAt, reason, lastErrorCategory,
                lastErrorMessage, invalidOverrides, idConflict, history, marks);
    }

    /** The same session without its history and marks: what the sessions list returns. */
    public SessionView withoutHistory() {
        return history.isEmpty() && marks.isEmpty() ? this : new SessionView(sessionId, hostId, containerId,
                containerName, status, consecutiveFailures, restartAttempts, paused, managed, lastCheckAt,
                lastTransitionAt, reason, lastErrorCategory, lastErrorMessage, invalidOverrides, idConflict,
                List.of(), List.of());
    }
}

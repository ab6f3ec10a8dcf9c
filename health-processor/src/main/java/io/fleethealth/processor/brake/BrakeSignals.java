package io.fleethealth.processor.brake;

import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.processor.decision.Decision;
import io.fleethealth.processor.decision.SessionEvent;
import io.fleethealth.processor.decision.SessionState;
import java.util.ArrayList;
import java.util.List;

/**
 * What one session decision tells the brake: a failing check starts (or continues) a failure, a healthy
 * check is a recovery, an ended session leaves its groups, and every restart command the decision issued
 * is a restart it wants. The one translation used by every caller (the replay's what-if today, the
 * Streams shell of docs/brake.md), so that they feed the brake the same signals.
 */
public final class BrakeSignals {

    private BrakeSignals() {
    }

    /** Feeds the brake with one decision on the session {@code sessionId} (the record key) and returns what it decided. */
    public static List<BrakeEvent> feed(RestartBrake brake, String sessionId, SessionEvent event, Decision decision) {
        List<BrakeEvent> out = new ArrayList<>();
        SessionRef ref = null;
        if (event instanceof SessionEvent.CheckReceived received) {
            HealthCheckResult check = received.check();
            ref = new SessionRef(check.getSessionId(), check.getHostId(), check.getImage(),
                    BrakeLabels.braked(check.getMetadata()));
            out.addAll(switch (check.getStatus()) {
                case HEALTHY -> brake.recovered(ref, check.getProbeTime());
                case UNHEALTHY, FAILED -> brake.failureStarted(ref, check.getProbeTime());
                default -> brake.seen(ref, check.getProbeTime());
            });
        }
        for (RestartCommand command : decision.commands()) {
            SessionRef wanted = ref != null && ref.sessionId().equals(command.getSessionId()) ? ref
                    : new SessionRef(command.getSessionId(), command.getHostId(), "", true);
            out.addAll(brake.restartWanted(wanted, command.getIssuedAt()));
        }
        if (decision.sessionEnded()) {
            out.addAll(brake.ended(sessionId, event.time()));
        }
        return out;
    }

    /**
     * The same translation as {@link #feed}, as records for the brake's input partition (the live
     * topology). Only changes are sent, so the brake's input stays small: a failing check of a session
     * whose previous check was not failing starts a failure, a healthy check after a non-healthy one is a
     * recovery, a new session is seen; every restart command is a restart wanted (with the command, which
     * the brake sends or holds), and an ended session leaves its groups.
     */
    public static List<BrakeSignal> signals(SessionState before, String sessionId, SessionEvent event, Decision decision) {
        List<BrakeSignal> out = new ArrayList<>();
        SessionRef ref = null;
        if (event instanceof SessionEvent.CheckReceived received) {
            HealthCheckResult check = received.check();
            ref = new SessionRef(check.getSessionId(), check.getHostId(), check.getImage(),
                    BrakeLabels.braked(check.getMetadata()));
            io.fleethealth.events.HealthStatus previous = before == null ? null : before.lastCheckStatus();
            BrakeSignal.Kind kind = switch (check.getStatus()) {
                case HEALTHY -> previous == io.fleethealth.events.HealthStatus.HEALTHY ? null : BrakeSignal.Kind.RECOVERED;
                case UNHEALTHY, FAILED -> previous == io.fleethealth.events.HealthStatus.UNHEALTHY
                        || previous == io.fleethealth.events.HealthStatus.FAILED ? null : BrakeSignal.Kind.FAILURE_STARTED;
                default -> before == null ? BrakeSignal.Kind.SEEN : null;
            };
            if (kind == BrakeSignal.Kind.RECOVERED && before == null) {
                kind = BrakeSignal.Kind.SEEN;
            }
            if (kind != null) {
                out.add(new BrakeSignal(kind, ref.sessionId(), ref.hostId(), ref.image(), ref.braked(),
                        check.getProbeTime(), "", "", null));
            }
        }
        for (RestartCommand command : decision.commands()) {
            SessionRef wanted = ref != null && ref.sessionId().equals(command.getSessionId()) ? ref
                    : new SessionRef(command.getSessionId(), command.getHostId(), "", true);
            out.add(new BrakeSignal(BrakeSignal.Kind.RESTART_WANTED, wanted.sessionId(), wanted.hostId(),
                    wanted.image(), wanted.braked(), command.getIssuedAt(), "", "",
                    new BrakeSignal.WantedRestart(command.getCommandId(), command.getContainerId(),
                            command.getContainerName(), command.getAttempt(), command.getEpisode(),
                            command.getReason(), command.getIssuedAt(), command.getNotBefore(),
                            command.getExpiresAt(), command.getStopTimeoutSeconds())));
        }
        if (decision.sessionEnded()) {
            out.add(new BrakeSignal(BrakeSignal.Kind.ENDED, sessionId, "", "", true, event.time(), "", "", null));
        }
        return out;
    }
}

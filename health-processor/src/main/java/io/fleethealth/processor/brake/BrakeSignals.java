package io.fleethealth.processor.brake;

import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.processor.decision.Decision;
import io.fleethealth.processor.decision.SessionEvent;
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
}

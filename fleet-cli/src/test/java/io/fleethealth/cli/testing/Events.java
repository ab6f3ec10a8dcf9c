package io.fleethealth.cli.testing;

import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import io.fleethealth.serde.SampleEvents;
import java.time.Instant;

/** Test events with the fields the decision reads. */
public final class Events {

    private Events() {
    }

    public static HealthCheckResult check(String session, String checkId, Instant at, boolean healthy) {
        return SampleEvents.check(session, checkId, at, healthy).build();
    }

    /** The agent's report that it restarted the container as told. */
    public static RestartOutcome succeeded(RestartCommand command, Instant at) {
        return RestartOutcome.newBuilder()
                .setCommandId(command.getCommandId()).setSessionId(command.getSessionId())
                .setHostId(command.getHostId()).setContainerId(command.getContainerId())
                .setAttempt(command.getAttempt()).setResult(RestartResult.SUCCEEDED)
                .setExecutedAt(at).setDurationMs(300).build();
    }
}

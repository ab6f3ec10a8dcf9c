package io.fleethealth.processor.state;

import java.time.Instant;

/**
 * What the processor knows of one host's agent.
 *
 * @param hostId          the host
 * @param lastHeartbeatAt when its agent last sent a heartbeat (the agent's clock)
 * @param lastSeenAt      when the processor last received one (this instance's clock), which silence is judged by
 * @param engineReachable whether the agent could reach its Docker engine at the last heartbeat
 * @param containers      session containers its last round probed
 * @param silent          whether the host-silent alert is firing
 */
public record HostState(String hostId, Instant lastHeartbeatAt, Instant lastSeenAt, boolean engineReachable,
                        int containers, boolean silent) {
}

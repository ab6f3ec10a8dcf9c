package io.fleethealth.agent.probe;

import java.util.Objects;
import java.util.UUID;

/**
 * Who produces the results: the host, this run of the agent (a fresh id per start, so that sequence numbers restarting
 * at 1 never collide with the previous run's check ids) and the agent's version.
 */
public record AgentIdentity(String hostId, String runId, String agentVersion) {

    public AgentIdentity {
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(agentVersion, "agentVersion");
    }

    public static AgentIdentity startingNow(String hostId) {
        String version = AgentIdentity.class.getPackage().getImplementationVersion();
        return new AgentIdentity(hostId, UUID.randomUUID().toString().substring(0, 8), version == null ? "dev" : version);
    }

    /** The host-level session id used when no session of this host is known (e.g. engine unreachable at start). */
    public String hostSessionId() {
        return "host:" + hostId;
    }
}

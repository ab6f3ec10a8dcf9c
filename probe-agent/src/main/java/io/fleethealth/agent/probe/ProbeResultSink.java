package io.fleethealth.agent.probe;

import io.fleethealth.events.HealthCheckResult;

/** Where probe results go: the Kafka publisher in the agent, a collecting list in tests. Must not block for long. */
@FunctionalInterface
public interface ProbeResultSink {

    void accept(HealthCheckResult result);
}

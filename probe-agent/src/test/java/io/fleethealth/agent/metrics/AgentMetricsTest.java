package io.fleethealth.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();

    @Test
    void shouldKeepReadingCountersRegisteredAsMethodReferencesAfterGarbageCollection() throws Exception {
        AgentMetrics metrics = new AgentMetrics("host-a");
        // method references, as the agent passes them: nothing but the registry refers to these objects
        metrics.publishDropped(dropped::get);
        metrics.published(published::get);
        metrics.overruns(overruns::get);
        dropped.set(1);
        assertThat(metrics.scrape()).contains("fleet_agent_publish_dropped_total{host=\"host-a\"} 1.0");

        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
        }
        dropped.set(7);
        published.set(40);
        overruns.set(2);

        assertThat(metrics.scrape())
                .contains("fleet_agent_publish_dropped_total{host=\"host-a\"} 7.0")
                .contains("fleet_agent_publish_published_total{host=\"host-a\"} 40.0")
                .contains("fleet_agent_round_overruns_total{host=\"host-a\"} 2.0");
    }

    @Test
    void shouldShowEveryRestartResultFromTheStart() {
        AgentMetrics metrics = new AgentMetrics("host-a");

        assertThat(metrics.scrape())
                .contains("fleet_agent_commands_total{host=\"host-a\",result=\"FAILED\"} 0.0")
                .contains("fleet_agent_commands_total{host=\"host-a\",result=\"REJECTED\"} 0.0")
                .contains("fleet_agent_commands_total{host=\"host-a\",result=\"SUCCEEDED\"} 0.0");
    }
}

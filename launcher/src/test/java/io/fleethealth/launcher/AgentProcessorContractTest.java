package io.fleethealth.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.agent.command.CommandVerdict;
import io.fleethealth.agent.command.RestartGuard;
import io.fleethealth.agent.docker.ContainerSnapshot;
import io.fleethealth.agent.probe.AgentIdentity;
import io.fleethealth.agent.probe.ProbeClassifier;
import io.fleethealth.agent.probe.ProbeTarget;
import io.fleethealth.contract.labels.Labels;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartResult;
import io.fleethealth.processor.decision.Decision;
import io.fleethealth.processor.decision.DecisionCounter;
import io.fleethealth.processor.decision.DecisionSettings;
import io.fleethealth.processor.decision.SessionEvent;
import io.fleethealth.processor.decision.SessionState;
import io.fleethealth.processor.decision.SessionStateMachine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract between agent and processor, end to end on the real parts: a container's override labels go through
 * the agent's real classifier (what it would publish for a failing container), and the results into the processor's
 * real state machine; the agent's real restart guard then judges the command that comes out. For every override,
 * valid and invalid, both sides apply the same value, and an invalid one is reported and replaced by the same
 * default. The expected values are written here from the documented ranges, not taken from the contract's code.
 */
class AgentProcessorContractTest {

    private static final DecisionSettings SETTINGS = ProcessorConfig.defaultDecisionSettings();
    private static final int DEFAULT_THRESHOLD = 3;
    private static final int DEFAULT_STOP_TIMEOUT = 10;
    private static final String SESSION = "s-contract";
    private static final String HOST = "host-c";
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    /** What both sides must apply for one container's labels. */
    record Expected(int threshold, int stopTimeout, boolean managed, List<String> invalid) {
    }

    static Stream<Arguments> overrides() {
        List<Arguments> cases = new ArrayList<>();
        for (String[] valid : new String[][] {{"1", "1"}, {"2", "2"}, {" 5 ", "5"}, {"100", "100"}}) {
            cases.add(single(Labels.FAILURE_THRESHOLD, valid[0],
                    new Expected(Integer.parseInt(valid[1]), DEFAULT_STOP_TIMEOUT, true, List.of())));
        }
        for (String invalid : new String[] {"0", "101", "-3", "three", "2.5", ""}) {
            cases.add(single(Labels.FAILURE_THRESHOLD, invalid, new Expected(DEFAULT_THRESHOLD, DEFAULT_STOP_TIMEOUT,
                    true, List.of(Labels.FAILURE_THRESHOLD + "='" + invalid + "'"))));
        }
        for (String[] valid : new String[][] {{"0", "0"}, {"20", "20"}, {"3600", "3600"}}) {
            cases.add(single(Labels.STOP_TIMEOUT, valid[0],
                    new Expected(DEFAULT_THRESHOLD, Integer.parseInt(valid[1]), true, List.of())));
        }
        for (String invalid : new String[] {"-1", "3601", "soon", "1e3"}) {
            cases.add(single(Labels.STOP_TIMEOUT, invalid, new Expected(DEFAULT_THRESHOLD, DEFAULT_STOP_TIMEOUT, true,
                    List.of(Labels.STOP_TIMEOUT + "='" + invalid + "'"))));
        }
        for (String optOut : new String[] {"false", "FALSE", " False "}) {
            cases.add(single(Labels.ENABLED, optOut, new Expected(DEFAULT_THRESHOLD, DEFAULT_STOP_TIMEOUT, false, List.of())));
        }
        for (String optIn : new String[] {"true", "TRUE"}) {
            cases.add(single(Labels.ENABLED, optIn, new Expected(DEFAULT_THRESHOLD, DEFAULT_STOP_TIMEOUT, true, List.of())));
        }
        for (String invalid : new String[] {"maybe", "no", "0", ""}) {
            cases.add(single(Labels.ENABLED, invalid, new Expected(DEFAULT_THRESHOLD, DEFAULT_STOP_TIMEOUT, true,
                    List.of(Labels.ENABLED + "='" + invalid + "'"))));
        }
        cases.add(Arguments.of("all three valid", Map.of(Labels.FAILURE_THRESHOLD, "4", Labels.STOP_TIMEOUT, "2",
                Labels.ENABLED, "true"), new Expected(4, 2, true, List.of())));
        cases.add(Arguments.of("all three invalid", Map.of(Labels.FAILURE_THRESHOLD, "x", Labels.STOP_TIMEOUT, "y",
                Labels.ENABLED, "z"), new Expected(DEFAULT_THRESHOLD, DEFAULT_STOP_TIMEOUT, true, List.of(
                Labels.ENABLED + "='z'", Labels.FAILURE_THRESHOLD + "='x'", Labels.STOP_TIMEOUT + "='y'"))));
        cases.add(Arguments.of("opted out with a bad threshold", Map.of(Labels.FAILURE_THRESHOLD, "0",
                Labels.ENABLED, "false"), new Expected(DEFAULT_THRESHOLD, DEFAULT_STOP_TIMEOUT, false,
                List.of(Labels.FAILURE_THRESHOLD + "='0'"))));
        return cases.stream();
    }

    private static Arguments single(String label, String value, Expected expected) {
        return Arguments.of(label + "='" + value + "'", Map.of(label, value), expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overrides")
    void shouldApplyTheSameOverridesOnBothSides(String name, Map<String, String> overrideLabels, Expected expected) {
        Map<String, String> labels = new HashMap<>(overrideLabels);
        labels.put(Labels.SESSION, SESSION);
        labels.put("team", "desktops");
        ContainerSnapshot failing = failing(labels);
        ProbeClassifier classifier = new ProbeClassifier(new AgentIdentity(HOST, "run-1", "contract-test"));
        ProbeTarget target = new ProbeTarget(SESSION, failing.id(), failing.name(), failing.image(), labels);
        SessionStateMachine machine = new SessionStateMachine(SETTINGS);

        SessionState state = null;
        List<Decision> decisions = new ArrayList<>();
        List<HealthCheckResult> published = new ArrayList<>();
        int checks = expected.threshold() + 5;
        for (int i = 0; i < checks; i++) {
            HealthCheckResult check = classifier.result(target, failing,
                    T0.plus(SETTINGS.checkInterval().multipliedBy(i)), Duration.ofMillis(2));
            published.add(check);
            Decision decision = machine.decide(state, new SessionEvent.CheckReceived(check));
            decisions.add(decision);
            state = decision.state();
            if (!decision.commands().isEmpty()) {
                break;
            }
        }

        assertThat(state.managed()).as("managed").isEqualTo(expected.managed());
        assertInvalidReportedAndDefaultedAlike(published, decisions, state, overrideLabels, expected);
        RestartGuard guard = new RestartGuard(HOST, Labels.SESSION);
        if (expected.managed()) {
            List<RestartCommand> commands = decisions.stream().flatMap(d -> d.commands().stream()).toList();
            assertThat(commands).as("one restart, after exactly the threshold").singleElement();
            assertThat(decisions).as("restart at failure number %d", expected.threshold()).hasSize(expected.threshold());
            RestartCommand command = commands.get(0);
            assertThat(command.getStopTimeoutSeconds()).as("stop timeout").isEqualTo(expected.stopTimeout());
            CommandVerdict verdict = guard.check(command, command.getNotBefore(), false, Optional.of(failing));
            assertThat(verdict.mayExecute()).as("the agent executes what the processor ordered: %s", verdict.reason())
                    .isTrue();
        } else {
            assertThat(decisions).as("never restarted").allSatisfy(d -> assertThat(d.commands()).isEmpty());
            assertThat(decisions).as("never alerted").allSatisfy(d -> assertThat(d.alerts()).isEmpty());
            assertThat(decisions.get(decisions.size() - 1).counted(DecisionCounter.RESTART_WITHHELD_OPTED_OUT)).isTrue();
            Decision silence = machine.decide(state, new SessionEvent.SilenceDetected(T0.plus(Duration.ofHours(6))));
            assertThat(silence.emitted()).as("never marked stale").isEmpty();
            assertThat(silence.stateChanged()).isFalse();
            CommandVerdict verdict = guard.check(commandFor(failing), T0, false, Optional.of(failing));
            assertThat(verdict.refusal()).as("the agent refuses too").contains(RestartResult.REJECTED);
        }
    }

    private static void assertInvalidReportedAndDefaultedAlike(List<HealthCheckResult> published,
            List<Decision> decisions, SessionState state, Map<String, String> overrideLabels, Expected expected) {
        Map<String, String> metadata = published.get(0).getMetadata();
        assertThat(metadata).containsEntry("team", "desktops").containsEntry(Labels.SESSION, SESSION);
        List<AuditAction> audits = decisions.stream().flatMap(d -> d.audits().stream()).map(a -> a.getAction()).toList();
        if (expected.invalid().isEmpty()) {
            assertThat(metadata).doesNotContainKey(Labels.INVALID_OVERRIDES).containsAllEntriesOf(overrideLabels);
            assertThat(state.invalidOverrides()).isNull();
            assertThat(audits).doesNotContain(AuditAction.INVALID_OVERRIDES);
            assertThat(decisions).noneMatch(d -> d.counted(DecisionCounter.INVALID_OVERRIDE));
            return;
        }
        String reported = String.join(", ", expected.invalid());
        assertThat(metadata).as("the agent names what it did not accept").containsEntry(Labels.INVALID_OVERRIDES, reported);
        for (String entry : expected.invalid()) {
            String key = entry.substring(0, entry.indexOf("='"));
            assertThat(metadata).as("an invalid value does not travel").doesNotContainKey(key);
        }
        assertThat(state.invalidOverrides()).as("the processor shows the same").isEqualTo(reported);
        assertThat(audits).as("audited once").containsOnlyOnce(AuditAction.INVALID_OVERRIDES);
        assertThat(decisions).allMatch(d -> d.counted(DecisionCounter.INVALID_OVERRIDE));
    }

    /** A running container whose HEALTHCHECK fails, started long before any command. */
    private static ContainerSnapshot failing(Map<String, String> labels) {
        return new ContainerSnapshot("c0ffee01", "desktop-1", "fleet-test/busybox:1", labels, DockerState.RUNNING, 0,
                false, DockerHealth.UNHEALTHY, 4, Optional.of("curl: (7) connection refused"), 0,
                Optional.of(T0.minus(Duration.ofHours(1))), Optional.empty());
    }

    private static RestartCommand commandFor(ContainerSnapshot container) {
        return RestartCommand.newBuilder().setCommandId("cmd-contract").setSessionId(SESSION).setHostId(HOST)
                .setContainerId(container.id()).setContainerName(container.name()).setAttempt(1).setEpisode(1)
                .setReason("contract test").setIssuedAt(T0).setNotBefore(T0).setExpiresAt(T0.plusSeconds(120))
                .setStopTimeoutSeconds(DEFAULT_STOP_TIMEOUT).build();
    }
}

package io.fleethealth.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.agent.metrics.AgentMetrics;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.processor.api.AlertForwarder;
import io.fleethealth.processor.api.AlertForwarderSettings;
import io.fleethealth.processor.api.AlertLinks;
import io.fleethealth.processor.api.HttpApi;
import io.fleethealth.processor.decision.Decision;
import io.fleethealth.processor.decision.DecisionCounter;
import io.fleethealth.processor.decision.SessionEvent;
import io.fleethealth.processor.metrics.ProcessorMetrics;
import io.fleethealth.processor.metrics.SessionCounts;
import io.fleethealth.processor.metrics.SessionGauges;
import io.fleethealth.serde.SampleEvents;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The Prometheus rules operators load: every metric they use is one the processor or an agent really
 * exports (names checked against real scrapes), and every rule says how bad it is and links to its
 * section of the runbook.
 */
class PrometheusRulesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path RULES = ROOT.resolve("deploy/prometheus/fleet-health-rules.yml");
    private static final Path RUNBOOK = ROOT.resolve("docs/operations.md");
    private static final Pattern FLEET_METRIC = Pattern.compile("\\b(fleet_[a-z_]+)");
    /** Absolute with the external label that names the runbook's URL (set in prometheus.yml). */
    private static final Pattern RUNBOOK_LINK =
            Pattern.compile("^\\{\\{ \\$externalLabels\\.fleethealth_runbook }}#([a-z0-9-]+)$");

    @Test
    void shouldUseOnlyMetricsThatTheProcessorAndTheAgentsExport() throws Exception {
        Set<String> exported = exportedMetricNames();
        assertThat(exported).as("sanity: the scrapes were read").contains("fleet_sessions", "fleet_agent_commands_total");

        List<String> used = new ArrayList<>();
        for (Map<String, Object> rule : rules()) {
            Matcher m = FLEET_METRIC.matcher((String) rule.get("expr"));
            while (m.find()) {
                used.add(m.group(1));
                assertThat(exported).as("metric %s of rule %s", m.group(1), rule.get("alert")).contains(m.group(1));
            }
        }
        assertThat(used).as("the rules watch fleet-health's own metrics").hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void shouldNameOnlyExportedMetricsInTheRunbook() throws Exception {
        Set<String> exported = exportedMetricNames();
        Matcher m = FLEET_METRIC.matcher(Files.readString(RUNBOOK));
        int named = 0;
        while (m.find()) {
            String name = m.group(1);
            assertThat(List.of(name, name + "_count", name + "_total")).as("docs/operations.md names %s", name)
                    .anySatisfy(candidate -> assertThat(exported).contains(candidate));
            named++;
        }
        assertThat(named).isGreaterThanOrEqualTo(10);
    }

    @Test
    void shouldGiveEveryRuleASeveritySummaryAndARunbookSectionThatExists() throws IOException {
        Set<String> anchors = headingAnchors(Files.readAllLines(RUNBOOK));
        Set<String> names = new HashSet<>();
        for (Map<String, Object> rule : rules()) {
            String alert = (String) rule.get("alert");
            assertThat(names.add(alert)).as("alert names are unique: %s", alert).isTrue();
            assertThat(alert).matches("Fleet[A-Za-z]+");
            @SuppressWarnings("unchecked")
            Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
            assertThat(labels.get("severity")).as(alert).isIn("warning", "critical");
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            assertThat((String) annotations.get("summary")).as(alert).isNotBlank();
            Matcher link = RUNBOOK_LINK.matcher((String) annotations.get("runbook_url"));
            assertThat(link.matches()).as("%s links to a section of docs/operations.md", alert).isTrue();
            assertThat(anchors).as("%s's runbook section", alert).contains(link.group(1));
            assertThat(Files.readString(RUNBOOK)).as("the runbook names the alert %s", alert).contains(alert);
        }
    }

    /** Prometheus' own tools (Debian's prometheus package) accept the rules and our metric names. */
    @Test
    void shouldPassPromtoolCheckRulesAndCheckMetrics() throws Exception {
        assertThat(promtool(null, "check", "rules", RULES.toString())).startsWith("Checking").contains("SUCCESS");
        assertThat(promtool(scrapes(), "check", "metrics")).as("promtool check metrics lints").isEmpty();
    }

    private static String promtool(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("promtool");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("promtool %s: %s", String.join(" ", args), output).isZero();
        return output;
    }

    /** Every metric name in the Prometheus text of a processor and an agent, with the lazily created ones made. */
    private static Set<String> exportedMetricNames() throws Exception {
        return scrapes().lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toSet());
    }

    /** The Prometheus text of a processor and an agent, with the lazily created meters made. */
    private static String scrapes() throws Exception {
        PrometheusMeterRegistry processor = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProcessorMetrics metrics = new ProcessorMetrics(processor);
        metrics.onDeadLetter("fleet.health.checks");
        metrics.onSkipped("fleet.host.alerts");
        metrics.onDecision(new SessionEvent.OutcomeReceived(SampleEvents.restartOutcome()),
                new Decision(null, false, List.of(), Set.of(DecisionCounter.OUTCOME_JOINED)));
        SessionGauges.register(processor, () -> new SessionCounts(Map.of(HealthStatus.FAILED, 1L), Map.of()),
                Clock.systemUTC(), Duration.ofSeconds(10));
        HttpApi.requestCounts(processor).answered("health", 200);
        AlertForwarder forwarder = new AlertForwarder(AlertForwarderSettings.of(URI.create("http://127.0.0.1:9/"),
                AlertForwarderSettings.Mode.WEBHOOK), new AlertLinks(URI.create("http://127.0.0.1:8080"), Optional.empty()));
        forwarder.bindTo(processor);
        AgentMetrics agent = new AgentMetrics("host-a");
        agent.publishDropped(() -> 0);
        agent.publishDenied(() -> 0);
        agent.published(() -> 0);
        agent.overruns(() -> 0);
        agent.commandDecodeFailures(() -> 0);
        agent.commandLoopFailures(() -> 0);
        agent.commandsBlocked(() -> 0);
        agent.commandsCorruptSkipped(() -> 0);
        agent.metered(result -> { }).accept(SampleEvents.healthCheck());
        return processor.scrape() + agent.scrape();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws IOException {
        Map<String, Object> file = new Yaml(new LoaderOptions()).load(Files.readString(RULES));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        assertThat(rules).as("rules in " + RULES).isNotEmpty();
        return rules;
    }

    /** GitHub's anchors: lower case, punctuation dropped, spaces to hyphens. */
    private static Set<String> headingAnchors(List<String> lines) {
        return lines.stream().filter(line -> line.startsWith("## "))
                .map(line -> line.substring(3).trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 -]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
    }
}

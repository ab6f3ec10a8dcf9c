package io.fleethealth.processor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The dashboard in a real headless Chromium, served by HttpApi over a fleet the test changes under it. */
class DashboardIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(DashboardIT.class);

    private static final Path WORK_DIR = Path.of(System.getProperty("fleet.test.dir", "target/test-bed"), "dashboard-it");
    /** One browser for the class: starting Chromium costs seconds, a fresh page per test is enough isolation. */
    private static HeadlessChromium browser;

    private final FakeFleetQueries fleet = new FakeFleetQueries();
    private HttpApi api;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = HeadlessChromium.start(WORK_DIR);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void start() throws IOException {
        fleet.hosts(new HostsView(2, 0))
                .put(Sessions.healthy("alpha"))
                .put(Sessions.healthy("bravo"))
                .put(Sessions.unhealthy("web-7", 2))
                .put(Sessions.failed("db-2"))
                .alert(Sessions.firing("fp-db-2", "db-2", "SessionFailed"));
        api = new HttpApi(HttpApiSettings.loopback(Optional.empty()), fleet, new RecordingSessionControls(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @AfterEach
    void stop() {
        browser.open(java.net.URI.create("about:blank"));
        if (api != null) {
            api.close();
        }
    }

    /** [sessionId, status] of every row of the sessions table, top to bottom. */
    private List<List<String>> rows() {
        JsonNode rows = browser.execute("return [...document.querySelectorAll('#sessions-body tr')]"
                + ".map(r => [r.dataset.sessionId, r.querySelector('.status').textContent]);");
        List<List<String>> result = new ArrayList<>();
        rows.forEach(row -> result.add(List.of(row.get(0).asText(), row.get(1).asText())));
        return result;
    }

    private List<String> timeline() {
        List<String> ticks = new ArrayList<>();
        browser.execute("return [...document.querySelectorAll('#timeline .tick')].map(t => t.dataset.status);")
                .forEach(tick -> ticks.add(tick.asText()));
        return ticks;
    }

    private String count(HealthStatus status) {
        return browser.text("#count-" + status + " .n");
    }

    @Test
    void shouldShowTheUnhealthySessionAndFollowTheFleetAsItChanges() throws IOException {
        browser.open(api.uri());

        // The page loads and shows what the fleet holds, worst first.
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(count(HealthStatus.UNHEALTHY)).isEqualTo("1"));
        assertThat(browser.text("title")).isEqualTo("fleet-health");
        assertThat(browser.text("#api-status")).isEqualTo("UP");
        assertThat(browser.text("#streams-state")).isEqualTo("RUNNING");
        assertThat(browser.text("#hosts-known")).isEqualTo("2");
        assertThat(count(HealthStatus.HEALTHY)).isEqualTo("2");
        assertThat(count(HealthStatus.FAILED)).isEqualTo("1");
        assertThat(rows()).containsExactly(List.of("db-2", "FAILED"), List.of("web-7", "UNHEALTHY"),
                List.of("alpha", "HEALTHY"), List.of("bravo", "HEALTHY"));
        assertThat(browser.text("#alerts-list")).contains("firing").contains("SessionFailed").contains("db-2");
        assertThat(browser.execute("return document.getElementById('conn-error').hidden;").asBoolean()).isTrue();

        // A click on the unhealthy session shows its recent checks as a timeline.
        browser.click("#sessions-body tr[data-session-id='web-7']");
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(timeline()).containsExactly("HEALTHY", "UNHEALTHY", "UNHEALTHY"));
        assertThat(browser.text("#detail-id")).isEqualTo("web-7");
        assertThat(browser.text("#detail-fields")).contains("HEALTHCHECK_FAILING: healthcheck exited 1");
        Files.write(WORK_DIR.resolve("dashboard.png"), browser.screenshot());

        // The fleet changes: the page follows on its own.
        long changedAt = System.nanoTime();
        fleet.put(Sessions.session("web-7", HealthStatus.FAILED, 3, 3, ErrorCategory.EXITED, "exited with code 1",
                        Sessions.history(HealthStatus.HEALTHY, HealthStatus.UNHEALTHY, HealthStatus.RESTARTING, HealthStatus.FAILED)))
                .put(Sessions.healthy("charlie"))
                .alert(Sessions.firing("fp-web-7", "web-7", "SessionGaveUp"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(count(HealthStatus.FAILED)).isEqualTo("2"));
        log.info("dashboard showed the change {} ms after it happened", (System.nanoTime() - changedAt) / 1_000_000);
        assertThat(count(HealthStatus.UNHEALTHY)).isEqualTo("0");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows()).containsExactly(
                List.of("db-2", "FAILED"), List.of("web-7", "FAILED"),
                List.of("alpha", "HEALTHY"), List.of("bravo", "HEALTHY"), List.of("charlie", "HEALTHY")));
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(timeline()).containsExactly("HEALTHY", "UNHEALTHY", "RESTARTING", "FAILED"));
        // the alerts list refreshes on its own fetch, which may come a moment after the sessions'
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#alerts-list")).contains("SessionGaveUp"));
        Files.write(WORK_DIR.resolve("dashboard-after-change.png"), browser.screenshot());
    }

    @Test
    void shouldShowASessionThatOptedOutAsNotManagedWithTheLabelsItIgnored() throws Exception {
        fleet.put(Sessions.notManaged("quiet"));
        browser.open(api.uri());

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows()).hasSize(5));
        assertThat(browser.text("#sessions-body tr[data-session-id='quiet']")).contains("not managed");
        assertThat(browser.text("#sessions-body tr[data-session-id='web-7']")).doesNotContain("not managed");
        browser.click("#sessions-body tr[data-session-id='quiet']");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#detail-fields"))
                .contains("labelled fleet-health.enabled=false", "fleet-health.stop-timeout='soon'"));

        JsonNode json = new ApiClient(api.uri()).get("/health/container/quiet").json();
        assertThat(json.get("managed").asBoolean()).isFalse();
        assertThat(json.get("invalidOverrides").asText()).isEqualTo("fleet-health.stop-timeout='soon'");
        JsonNode managed = new ApiClient(api.uri()).get("/health/container/web-7").json();
        assertThat(managed.get("managed").asBoolean()).isTrue();
        assertThat(managed.get("invalidOverrides").isNull()).isTrue();
    }

    @Test
    void shouldFilterSessionsByStatusAndByText() {
        browser.open(api.uri());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows()).hasSize(4));

        browser.click("#count-HEALTHY");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows())
                .containsExactly(List.of("alpha", "HEALTHY"), List.of("bravo", "HEALTHY")));
        assertThat(browser.execute("return document.getElementById('status-filter').value;").asText()).isEqualTo("HEALTHY");

        browser.type("#text-filter", "brav");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows()).containsExactly(List.of("bravo", "HEALTHY")));

        browser.click("#count-HEALTHY");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows()).containsExactly(List.of("bravo", "HEALTHY")));
        assertThat(browser.execute("return document.getElementById('status-filter').value;").asText()).isEmpty();
    }

    @Test
    void shouldFollowTheCursorToListMoreSessionsThanOnePageHolds() {
        for (int i = 0; i < 1_001; i++) {
            fleet.put(Sessions.healthy(String.format("bulk-%04d", i)));
        }
        browser.open(api.uri());

        // 1,005 sessions come in two pages of at most 1,000; the table shows them worst first, 100 rows at a time
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#session-count")).isEqualTo("(1005)"));
        assertThat(browser.text("#page-info")).isEqualTo("1–100 of 1005");
        assertThat(rows()).hasSize(100);
        assertThat(rows().get(0)).isEqualTo(List.of("db-2", "FAILED"));
        for (int page = 1; page <= 10; page++) {
            browser.click("#page-next");
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#page-info")).isEqualTo("1001–1005 of 1005"));
        assertThat(rows()).hasSize(5);
    }

    @Test
    void shouldSayWhenTheProcessorIsDownAndRecover() {
        browser.open(api.uri());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#api-status")).isEqualTo("UP"));

        fleet.streams("PENDING_ERROR", false);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#api-status")).isEqualTo("DOWN"));
        assertThat(browser.text("#streams-state")).isEqualTo("PENDING_ERROR");

        fleet.failWith(new io.fleethealth.http.NotReadyException("stores migrating"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                browser.execute("return document.getElementById('conn-error').hidden;").asBoolean()).isFalse());
        assertThat(browser.text("#conn-error")).contains("Cannot reach the processor");

        fleet.failWith(null).streams("RUNNING", true);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#api-status")).isEqualTo("UP"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                browser.execute("return document.getElementById('conn-error').hidden;").asBoolean()).isTrue());
    }

    /** The console: what fires now apart from the history, the session's events, actions with the token, paging. */
    @Test
    void shouldWorkAsAnOperatorConsole() throws IOException {
        RecordingSessionControls controls = new RecordingSessionControls();
        HttpApi withToken = new HttpApi(HttpApiSettings.loopback(Optional.of("console-token")), fleet, controls,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        try {
            fleet.put(Sessions.failed("db-2").withMarks(List.of(
                    new MarkView(Sessions.T0.plusMillis(500), "COMMAND_ISSUED", "health-processor", "attempt 1 of 3"),
                    new MarkView(Sessions.T0.plusMillis(1500), "OPERATOR_PAUSE", "api@10.0.0.7", "maintenance"))));
            fleet.alert(Sessions.resolved("fp-old", "web-7", "SessionUnhealthy"));
            browser.open(java.net.URI.create(withToken.uri() + "#session=db-2"));

            // Active alerts apart from the history; the deep link from an alert's generatorURL opened db-2.
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#detail-id")).isEqualTo("db-2"));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#active-alerts"))
                    .contains("SessionFailed").doesNotContain("SessionUnhealthy"));
            assertThat(browser.text("#alerts-list")).contains("resolved").contains("SessionUnhealthy");

            // Restarts and operator actions sit on the timeline between the checks, and are listed.
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(timelineEntries()).containsExactly(
                    "UNHEALTHY", "mark:COMMAND_ISSUED", "RESTARTING", "mark:OPERATOR_PAUSE", "FAILED"));
            assertThat(browser.text("#marks-list")).contains("paused").contains("api@10.0.0.7").contains("restart issued");
            // One time convention: UTC with a Z, never a local 12-hour clock.
            assertThat(browser.text("#marks-list")).contains("2025-03-01 12:00:01Z").doesNotContain(" PM").doesNotContain(" AM");

            // Reset: the token is asked for once; a wrong one is explained, the right one used.
            browser.click("#action-reset");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                    browser.execute("return document.getElementById('token-form').hidden;").asBoolean()).isFalse());
            browser.type("#token-input", "wrong-token");
            browser.click("#token-form button");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#action-result"))
                    .contains("401").contains("FLEET_ADMIN_TOKEN"));
            browser.type("#token-input", "console-token");
            browser.click("#token-form button");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(controls.resets).extracting(r -> r.sessionId())
                    .containsExactly("db-2"));
            assertThat(browser.text("#action-result")).contains("reset of db-2 requested");
            // The token stays in the tab's memory: the next action needs no form, and nothing was stored.
            browser.click("#action-pause");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(controls.pauses).hasSize(1));
            assertThat(browser.execute("return window.localStorage.length + window.sessionStorage.length;").asInt()).isZero();
            assertThat(browser.execute("return document.cookie;").asText()).isEmpty();

            // A fleet of many hosts: filtered by host, paged.
            for (int i = 0; i < 250; i++) {
                SessionView s = Sessions.healthy(String.format("bulk-%03d", i));
                fleet.put(new SessionView(s.sessionId(), i < 120 ? "host-bulk" : "host-other", s.containerId(),
                        s.containerName(), s.status(), 0, 0, false, true, s.lastCheckAt(), s.lastTransitionAt(), s.reason(),
                        s.lastErrorCategory(), s.lastErrorMessage(), null, s.history()));
            }
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#page-info")).isEqualTo("1–100 of 254"));
            browser.open(java.net.URI.create(withToken.uri() + "#host=host-bulk"));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#page-info")).isEqualTo("1–100 of 120"));
            browser.click("#page-next");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#page-info")).isEqualTo("101–120 of 120"));
            assertThat(rows()).hasSize(20).allSatisfy(row -> assertThat(row.get(0)).startsWith("bulk-"));
            Files.write(WORK_DIR.resolve("dashboard-console.png"), browser.screenshot());
        } finally {
            withToken.close();
        }
    }

    @Test
    void shouldExplainThatActionsAreDisabledWithoutAToken() {
        browser.open(java.net.URI.create(api.uri() + "#session=web-7"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#detail-id")).isEqualTo("web-7"));
        browser.click("#action-pause");
        browser.type("#token-input", "any");
        browser.click("#token-form button");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.text("#action-result"))
                .contains("403").contains("without FLEET_ADMIN_TOKEN"));
    }

    private List<String> timelineEntries() {
        List<String> entries = new ArrayList<>();
        browser.execute("return [...document.querySelectorAll('#timeline > div')]"
                        + ".map(e => e.dataset.action ? 'mark:' + e.dataset.action : e.dataset.status);")
                .forEach(entry -> entries.add(entry.asText()));
        return entries;
    }
}

package io.fleethealth.processor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleethealth.events.HealthStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.fleethealth.http.NotReadyException;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HttpApiTest {

    private static final String TOKEN = "s3cret-admin-token";
    private static final String BEARER = "Bearer " + TOKEN;

    private final FakeFleetQueries fleet = new FakeFleetQueries();
    private final RecordingSessionControls controls = new RecordingSessionControls();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<HttpApi> started = new ArrayList<>();
    private ApiClient client;

    @BeforeEach
    void start() throws IOException {
        client = new ApiClient(startApi(Optional.of(TOKEN)).uri());
    }

    @AfterEach
    void stop() {
        started.forEach(HttpApi::close);
    }

    private HttpApi startApi(Optional<String> token) throws IOException {
        HttpApi api = new HttpApi(HttpApiSettings.loopback(token), fleet, controls, registry);
        started.add(api);
        return api;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void shouldBindToLoopbackOnAFreePort() throws IOException {
        HttpApi api = startApi(Optional.empty());
        assertThat(api.port()).isPositive();
        assertThat(api.uri().toString()).isEqualTo("http://127.0.0.1:" + api.port() + "/");
    }

    @Nested
    class Health {

        @Test
        void shouldReportUpWithStreamsStateCountsPerStatusAndHosts() {
            fleet.put(Sessions.healthy("s1")).put(Sessions.healthy("s2")).put(Sessions.failed("s3"))
                    .hosts(new HostsView(3, 1));

            ApiClient.Answer answer = client.get("/health");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Content-Type")).startsWith("application/json");
            JsonNode body = answer.json();
            assertThat(fieldNames(body)).containsExactly("status", "streamsState", "reasons", "sessions", "hosts");
            assertThat(body.get("status").asText()).isEqualTo("UP");
            assertThat(body.get("streamsState").asText()).isEqualTo("RUNNING");
            assertThat(fieldNames(body.get("sessions"))).containsExactly("HEALTHY", "UNHEALTHY", "RESTARTING", "FAILED", "UNKNOWN");
            assertThat(body.at("/sessions/HEALTHY").asLong()).isEqualTo(2);
            assertThat(body.at("/sessions/FAILED").asLong()).isEqualTo(1);
            assertThat(body.at("/sessions/UNHEALTHY").asLong()).isZero();
            assertThat(body.at("/hosts/known").asLong()).isEqualTo(3);
            assertThat(body.at("/hosts/silent").asLong()).isEqualTo(1);
        }

        @Test
        void shouldReportDownWith503WhenStreamsIsNotRunning() {
            fleet.streams("ERROR", false);

            ApiClient.Answer answer = client.get("/health");

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.json().get("status").asText()).isEqualTo("DOWN");
            assertThat(answer.json().get("streamsState").asText()).isEqualTo("ERROR");
        }

        @Test
        void shouldAnswer503RatherThan500WhileKafkaStreamsStartsAndItsStoresCannotBeQueried() {
            fleet.failWith(new InvalidStateStoreException(
                    "Cannot get state store session-state because the stream thread is PARTITIONS_ASSIGNED, not RUNNING"));

            ApiClient.Answer answer = client.get("/health");

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.json().get("error").asText()).contains("retry").contains("PARTITIONS_ASSIGNED");
        }

        @Test
        void shouldAnswer503WithJsonErrorWhileStoresAreNotQueryable() {
            fleet.failWith(new NotReadyException("store fleet.sessions is rebalancing"));

            ApiClient.Answer answer = client.get("/health/sessions");

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.json().get("error").asText()).contains("retry").contains("rebalancing");
        }
    }

    @Nested
    class OneSession {

        @Test
        void shouldReturnEveryContractFieldWithIsoTimestampsAndHistory() {
            fleet.put(Sessions.unhealthy("sess-1", 2));

            ApiClient.Answer answer = client.get("/health/container/sess-1");

            assertThat(answer.status()).isEqualTo(200);
            JsonNode body = answer.json();
            assertThat(fieldNames(body)).contains("sessionId", "hostId", "containerId", "containerName", "status",
                    "consecutiveFailures", "restartAttempts", "lastCheckAt", "lastTransitionAt", "reason", "history");
            assertThat(body.get("sessionId").asText()).isEqualTo("sess-1");
            assertThat(body.get("hostId").asText()).isEqualTo("host-a");
            assertThat(body.get("containerName").asText()).isEqualTo("session-sess-1");
            assertThat(body.get("status").asText()).isEqualTo("UNHEALTHY");
            assertThat(body.get("consecutiveFailures").asInt()).isEqualTo(2);
            assertThat(body.get("restartAttempts").asInt()).isZero();
            assertThat(body.get("lastTransitionAt").asText()).isEqualTo("2025-03-01T11:59:30Z");
            assertThat(body.get("lastCheckAt").asText()).isEqualTo("2025-03-01T12:00:02Z");
            assertThat(body.get("lastErrorCategory").asText()).isEqualTo("HEALTHCHECK_FAILING");
            assertThat(body.get("lastErrorMessage").asText()).isEqualTo("healthcheck exited 1");
            assertThat(body.get("paused").asBoolean()).isFalse();
            JsonNode history = body.get("history");
            assertThat(history).hasSize(3);
            assertThat(fieldNames(history.get(0))).containsExactly("time", "status", "errorCategory", "responseTimeMs");
            assertThat(history.get(0).get("time").asText()).isEqualTo("2025-03-01T12:00:00Z");
            assertThat(history.get(0).get("status").asText()).isEqualTo("HEALTHY");
            assertThat(history.get(1).get("errorCategory").asText()).isEqualTo("HEALTHCHECK_FAILING");
            assertThat(history.get(1).get("responseTimeMs").asDouble()).isEqualTo(13.5);
        }

        @Test
        void shouldWriteAbsentValuesAsNullSoEveryFieldIsPresent() {
            fleet.put(Sessions.session("fresh", HealthStatus.UNKNOWN, 0, 0, io.fleethealth.events.ErrorCategory.NONE, null, List.of()));

            JsonNode body = client.get("/health/container/fresh").json();

            assertThat(body.has("lastCheckAt")).isTrue();
            assertThat(body.get("lastCheckAt").isNull()).isTrue();
            assertThat(body.get("history")).isEmpty();
        }

        @Test
        void shouldAnswer404WithJsonErrorForAnUnknownSession() {
            ApiClient.Answer answer = client.get("/health/container/nobody");

            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.header("Content-Type")).startsWith("application/json");
            assertThat(answer.json().get("error").asText()).isEqualTo("unknown session: nobody");
            assertThat(answer.json().get("status").asInt()).isEqualTo(404);
            assertThat(answer.json().get("sessionId").asText()).isEqualTo("nobody");
        }

        @Test
        void shouldDecodePercentEncodedSessionIdsAndKeepPlusSigns() {
            fleet.put(Sessions.healthy("team a/42+b"));

            ApiClient.Answer answer = client.get("/health/container/team%20a%2F42+b");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().get("sessionId").asText()).isEqualTo("team a/42+b");
        }
    }

    @Nested
    class SessionList {

        @Test
        void shouldListAllSessionsWithoutTheirHistory() {
            fleet.put(Sessions.healthy("a")).put(Sessions.failed("b")).put(Sessions.unhealthy("c", 1));

            ApiClient.Answer answer = client.get("/health/sessions");

            assertThat(answer.status()).isEqualTo(200);
            JsonNode body = answer.json();
            assertThat(body.get("count").asInt()).isEqualTo(3);
            assertThat(body.get("status").isNull()).isTrue();
            assertThat(body.get("sessions")).extracting(s -> s.get("sessionId").asText()).containsExactly("a", "b", "c");
            assertThat(body.get("sessions").get(0).get("history")).isEmpty();
            assertThat(fieldNames(body.get("sessions").get(1))).contains("sessionId", "status", "consecutiveFailures",
                    "restartAttempts", "lastCheckAt", "reason");
        }

        @Test
        void shouldFilterByStatusIgnoringCase() {
            fleet.put(Sessions.healthy("a")).put(Sessions.failed("b")).put(Sessions.failed("c"));

            JsonNode failed = client.get("/health/sessions?status=FAILED").json();
            JsonNode healthy = client.get("/health/sessions?status=healthy").json();

            assertThat(failed.get("status").asText()).isEqualTo("FAILED");
            assertThat(failed.get("sessions")).extracting(s -> s.get("sessionId").asText()).containsExactly("b", "c");
            assertThat(healthy.get("sessions")).extracting(s -> s.get("sessionId").asText()).containsExactly("a");
        }

        @Test
        void shouldRejectAnUnknownStatusNamingTheAcceptedValues() {
            ApiClient.Answer answer = client.get("/health/sessions?status=BROKEN");

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().get("error").asText())
                    .contains("BROKEN").contains("HEALTHY, UNHEALTHY, RESTARTING, FAILED, UNKNOWN");
            assertThat(answer.json().get("accepted")).extracting(JsonNode::asText)
                    .containsExactly("HEALTHY", "UNHEALTHY", "RESTARTING", "FAILED", "UNKNOWN");
            assertThat(client.get("/health/sessions?status=").status()).isEqualTo(400);
        }
    }

    @Test
    void shouldReturnStatsWithResponseTimePercentiles() {
        fleet.stats(new StatsView(1200, 4, 9, 7, 2, 1, 3, new StatsView.ResponseTimes(1200, 3.5, 8.0, 40.25, 95.0)));

        ApiClient.Answer answer = client.get("/health/stats");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(fieldNames(body)).containsExactly("checksProcessed", "deadLetters", "restartsIssued", "restartsSucceeded",
                "restartsFailed", "sessionsFailed", "alertsFired", "probeResponseTimeMs");
        assertThat(body.get("checksProcessed").asLong()).isEqualTo(1200);
        assertThat(body.get("deadLetters").asLong()).isEqualTo(4);
        assertThat(body.get("restartsIssued").asLong()).isEqualTo(9);
        assertThat(body.get("restartsSucceeded").asLong()).isEqualTo(7);
        assertThat(body.get("restartsFailed").asLong()).isEqualTo(2);
        assertThat(body.get("sessionsFailed").asLong()).isEqualTo(1);
        assertThat(fieldNames(body.get("probeResponseTimeMs"))).containsExactly("samples", "p50", "p90", "p99", "max");
        assertThat(body.at("/probeResponseTimeMs/p99").asDouble()).isEqualTo(40.25);
        assertThat(body.at("/probeResponseTimeMs/max").asDouble()).isEqualTo(95.0);
    }

    @Nested
    class ReleaseIncident {

        @Test
        void shouldSendTheReleaseOfAGroupsIncidentWithTheCallersAddress() {
            ApiClient.Answer answer = client.post("/health/incidents/image%3Afleet-test%2Fbusybox%3A1/release", "",
                    "Authorization", BEARER);

            assertThat(answer.status()).isEqualTo(202);
            assertThat(answer.json().get("group").asText()).isEqualTo("image:fleet-test/busybox:1");
            assertThat(controls.releases).containsExactly(
                    new RecordingSessionControls.Release("image:fleet-test/busybox:1", "api@127.0.0.1"));
        }

        @Test
        void shouldAnswer401WithoutTheAdminTokenAndSendNothing() {
            assertThat(client.post("/health/incidents/fleet/release", "").status()).isEqualTo(401);
            assertThat(client.post("/health/incidents/fleet/release", "", "Authorization", "Bearer wrong").status())
                    .isEqualTo(401);
            assertThat(controls.releases).isEmpty();
        }

        @Test
        void shouldAnswer400ForAnUnknownGroup() {
            ApiClient.Answer answer = client.post("/health/incidents/rack%3A7/release", "", "Authorization", BEARER);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().get("error").asText()).contains("'fleet', 'host:<host id>' or 'image:<image>'");
            assertThat(controls.releases).isEmpty();
        }

        @Test
        void shouldAnswer503WhenTheReleaseCannotBeSent() {
            controls.failWith(new IllegalStateException("broker away"));

            assertThat(client.post("/health/incidents/fleet/release", "", "Authorization", BEARER).status()).isEqualTo(503);
        }
    }

    @Nested
    class Paging {

        @Test
        void shouldWalkOneHostsSessionsPageByPage() {
            for (int i = 0; i < 10_000; i++) {
                SessionView s = Sessions.healthy(String.format("s%05d", i));
                fleet.put(new SessionView(s.sessionId(), "host-" + (i % 4), s.containerId(), s.containerName(), s.status(),
                        s.consecutiveFailures(), s.restartAttempts(), s.paused(), true, s.lastCheckAt(), s.lastTransitionAt(),
                        s.reason(), s.lastErrorCategory(), s.lastErrorMessage(), null, s.history()));
            }

            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = client.get("/health/sessions?host=host-3&limit=1000"
                        + (cursor == null ? "" : "&cursor=" + cursor)).json();
                page.get("sessions").forEach(s -> {
                    assertThat(s.get("hostId").asText()).isEqualTo("host-3");
                    seen.add(s.get("sessionId").asText());
                });
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
                pages++;
            } while (cursor != null);

            assertThat(seen).hasSize(2_500).doesNotHaveDuplicates().isSorted();
            assertThat(pages).isBetween(3, 4);
        }
    }

    @Nested
    class PauseAndResume {

        @Test
        void shouldPauseAndResumeWithTheTokenOnly() {
            fleet.put(Sessions.unhealthy("sick-1", 2));

            assertThat(client.post("/health/sessions/sick-1/pause", "").status()).isEqualTo(401);
            ApiClient.Answer paused = client.post("/health/sessions/sick-1/pause", "{\"reason\":\"maintenance\"}",
                    "Authorization", BEARER, "Content-Type", "application/json");
            ApiClient.Answer resumed = client.post("/health/sessions/sick-1/resume", "", "Authorization", BEARER);

            assertThat(paused.status()).isEqualTo(202);
            assertThat(paused.json().get("action").asText()).isEqualTo("PAUSE");
            assertThat(resumed.json().get("action").asText()).isEqualTo("RESUME");
            assertThat(controls.pauses).containsExactly(
                    new RecordingSessionControls.Pause("sick-1", true, "api@127.0.0.1"),
                    new RecordingSessionControls.Pause("sick-1", false, "api@127.0.0.1"));
            assertThat(client.post("/health/sessions/nobody/pause", "", "Authorization", BEARER).status()).isEqualTo(404);
        }

        @Test
        void shouldSayPauseIsDisabledWithoutAConfiguredToken() throws IOException {
            ApiClient noToken = new ApiClient(startApi(Optional.empty()).uri());
            fleet.put(Sessions.unhealthy("sick-1", 2));

            ApiClient.Answer answer = noToken.post("/health/sessions/sick-1/pause", "", "Authorization", BEARER);

            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.json().get("error").asText()).contains("FLEET_ADMIN_TOKEN");
        }
    }

    @Nested
    class Reset {

        @Test
        void shouldAcceptAResetOfAFailedSessionAndAuditTheCallersAddress() {
            fleet.put(Sessions.failed("dead-1"));

            ApiClient.Answer answer = client.post("/health/sessions/dead-1/reset", "{\"reason\":\"fixed the image\"}",
                    "Authorization", BEARER, "Content-Type", "application/json");

            assertThat(answer.status()).isEqualTo(202);
            assertThat(answer.json().get("sessionId").asText()).isEqualTo("dead-1");
            assertThat(answer.json().get("action").asText()).isEqualTo("RESET");
            assertThat(answer.json().get("actor").asText()).isEqualTo("api@127.0.0.1");
            assertThat(controls.resets).containsExactly(
                    new RecordingSessionControls.Reset("dead-1", "api@127.0.0.1", "fixed the image"));
        }

        @Test
        void shouldAcceptAnEmptyBodyAndALowerCaseScheme() {
            fleet.put(Sessions.failed("dead-1"));

            ApiClient.Answer answer = client.post("/health/sessions/dead-1/reset", "", "Authorization", "bearer " + TOKEN);

            assertThat(answer.status()).isEqualTo(202);
            assertThat(controls.resets).containsExactly(new RecordingSessionControls.Reset("dead-1", "api@127.0.0.1", null));
        }

        @Test
        void shouldAnswer401WithoutAnAuthorizationHeader() {
            fleet.put(Sessions.failed("dead-1"));

            ApiClient.Answer answer = client.post("/health/sessions/dead-1/reset", "");

            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.json().get("error").asText()).contains("Authorization: Bearer");
            assertThat(controls.resets).isEmpty();
        }

        @Test
        void shouldAnswer401ForAWrongTokenOrScheme() {
            fleet.put(Sessions.failed("dead-1"));

            assertThat(client.post("/health/sessions/dead-1/reset", "", "Authorization", "Bearer wrong").status()).isEqualTo(401);
            assertThat(client.post("/health/sessions/dead-1/reset", "", "Authorization", "Bearer " + TOKEN + "x").status()).isEqualTo(401);
            assertThat(client.post("/health/sessions/dead-1/reset", "", "Authorization", "Basic " + TOKEN).status()).isEqualTo(401);
            assertThat(client.post("/health/sessions/dead-1/reset", "", "Authorization", TOKEN).status()).isEqualTo(401);
            assertThat(controls.resets).isEmpty();
        }

        @Test
        void shouldAnswer401BeforeRevealingWhetherASessionExists() {
            assertThat(client.post("/health/sessions/nobody/reset", "").status()).isEqualTo(401);
        }

        @Test
        void shouldBeDisabledWith403WhenNoTokenIsConfigured() throws IOException {
            fleet.put(Sessions.failed("dead-1"));
            ApiClient withoutToken = new ApiClient(startApi(Optional.of("  ")).uri());

            ApiClient.Answer answer = withoutToken.post("/health/sessions/dead-1/reset", "", "Authorization", "Bearer anything");

            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.json().get("error").asText()).contains("disabled").contains("FLEET_ADMIN_TOKEN");
            assertThat(controls.resets).isEmpty();
        }

        @Test
        void shouldAnswer404ForAnUnknownSession() {
            ApiClient.Answer answer = client.post("/health/sessions/nobody/reset", "", "Authorization", BEARER);

            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.json().get("error").asText()).isEqualTo("unknown session: nobody");
            assertThat(controls.resets).isEmpty();
        }

        @Test
        void shouldAnswer409ForASessionThatIsNotFailed() {
            fleet.put(Sessions.unhealthy("sick-1", 2));

            ApiClient.Answer answer = client.post("/health/sessions/sick-1/reset", "", "Authorization", BEARER);

            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.json().get("error").asText()).contains("UNHEALTHY").contains("only a FAILED session");
            assertThat(answer.json().get("sessionStatus").asText()).isEqualTo("UNHEALTHY");
            assertThat(controls.resets).isEmpty();
        }

        @Test
        void shouldAnswer400ForABodyThatIsNotJson() {
            fleet.put(Sessions.failed("dead-1"));

            ApiClient.Answer answer = client.post("/health/sessions/dead-1/reset", "please", "Authorization", BEARER);

            assertThat(answer.status()).isEqualTo(400);
            assertThat(controls.resets).isEmpty();
        }

        @Test
        void shouldAnswer503WhenTheControlCannotBeSent() {
            fleet.put(Sessions.failed("dead-1"));
            controls.failWith(new IllegalStateException("broker unreachable"));

            ApiClient.Answer answer = client.post("/health/sessions/dead-1/reset", "", "Authorization", BEARER);

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.json().get("error").asText()).contains("broker unreachable");
        }
    }

    @Test
    void shouldExposePrometheusMetricsIncludingTheApisOwnRequestCounts() {
        Counter.builder("fleet.checks.processed").register(registry).increment(5);
        client.get("/health");

        ApiClient.Answer answer = client.get("/metrics");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("text/plain");
        assertThat(answer.body()).contains("fleet_checks_processed_total 5.0");
        assertThat(answer.body()).containsPattern("fleet_api_requests_total\\{route=\"health\",status=\"200\"} 1.0");
    }

    @Nested
    class Alerts {

        @Test
        void shouldListTheLatestAlertsNewestFirst() {
            fleet.alert(Sessions.firing("fp-1", "s1", "SessionUnhealthy")).alert(Sessions.firing("fp-2", "s2", "SessionFailed"));

            ApiClient.Answer answer = client.get("/api/alerts");

            assertThat(answer.status()).isEqualTo(200);
            JsonNode alerts = answer.json().get("alerts");
            assertThat(alerts).extracting(a -> a.get("fingerprint").asText()).containsExactly("fp-2", "fp-1");
            assertThat(fieldNames(alerts.get(0))).contains("fingerprint", "status", "alertname", "severity", "sessionId",
                    "hostId", "summary", "startsAt", "endsAt", "labels", "annotations");
            assertThat(alerts.get(0).get("status").asText()).isEqualTo("FIRING");
            assertThat(alerts.get(0).get("startsAt").asText()).isEqualTo("2025-03-01T12:00:00Z");
            assertThat(alerts.get(0).get("endsAt").isNull()).isTrue();
            assertThat(alerts.get(0).at("/labels/session_id").asText()).isEqualTo("s2");
        }

        @Test
        void shouldListTheActiveAlertsApartFromTheHistory() {
            fleet.alert(Sessions.firing("fp-1", "s1", "SessionFailed"));

            JsonNode body = client.get("/api/alerts").json();

            assertThat(body.get("active")).extracting(a -> a.get("fingerprint").asText()).containsExactly("fp-1");
            assertThat(body.get("alerts")).hasSize(1);
        }

        @Test
        void shouldHonourTheLimitAndRejectABadOne() {
            for (int i = 0; i < 30; i++) {
                fleet.alert(Sessions.firing("fp-" + i, "s" + i, "SessionUnhealthy"));
            }

            assertThat(client.get("/api/alerts").json().get("alerts")).hasSize(AlertRoutes.ALERTS_DEFAULT_LIMIT);
            assertThat(client.get("/api/alerts?limit=3").json().get("alerts")).hasSize(3);
            assertThat(client.get("/api/alerts?limit=0").status()).isEqualTo(400);
            assertThat(client.get("/api/alerts?limit=many").status()).isEqualTo(400);
        }
    }

    @Nested
    class Dashboard {

        @Test
        void shouldServeThePageItsScriptAndItsStylesFromThisServerOnly() {
            ApiClient.Answer page = client.get("/");
            ApiClient.Answer script = client.get("/app.js");
            ApiClient.Answer styles = client.get("/style.css");

            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.body()).contains("<script src=\"app.js\"></script>").contains("style.css");
            assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
            assertThat(script.status()).isEqualTo(200);
            assertThat(script.header("Content-Type")).startsWith("text/javascript");
            assertThat(script.body()).contains("fetch(");
            assertThat(styles.header("Content-Type")).startsWith("text/css");
            // Nothing is fetched from the internet.
            assertThat(page.body() + script.body() + styles.body()).doesNotContain("http://", "https://", "//cdn");
        }

        @Test
        void shouldServeAFavicon() {
            ApiClient.Answer icon = client.get("/favicon.ico");
            assertThat(icon.status()).isEqualTo(200);
            assertThat(icon.header("Content-Type")).isEqualTo("image/x-icon");
        }

        @Test
        void shouldNotServeOtherClassPathFiles() {
            assertThat(client.get("/logback-test.xml").status()).isEqualTo(404);
            // Jetty refuses a path that climbs above the root before any route sees it (400)
            ApiClient.Answer climbing = client.get("/../dashboard/app.js");
            assertThat(climbing.status()).isIn(400, 404);
            assertThat(climbing.body()).doesNotContain("fetch(");
        }
    }

    @Nested
    class Routing {

        @Test
        void shouldAnswer404WithJsonForAnUnknownPath() {
            ApiClient.Answer answer = client.get("/health/nothing-here");

            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.json().get("error").asText()).contains("/health/nothing-here");
        }

        @Test
        void shouldAnswer405WithAllowForAWrongMethod() {
            ApiClient.Answer postHealth = client.post("/health", "");
            ApiClient.Answer getReset = client.get("/health/sessions/s1/reset");
            ApiClient.Answer deleteSession = client.send("DELETE", "/health/container/s1");

            assertThat(postHealth.status()).isEqualTo(405);
            assertThat(postHealth.header("Allow")).isEqualTo("GET");
            assertThat(postHealth.json().get("error").asText()).contains("POST");
            assertThat(getReset.status()).isEqualTo(405);
            assertThat(getReset.header("Allow")).isEqualTo("POST");
            assertThat(deleteSession.status()).isEqualTo(405);
        }
    }

    @Test
    void shouldNeverPrintTheAdminTokenInItsSettings() {
        assertThat(HttpApiSettings.loopback(Optional.of(TOKEN)).toString()).doesNotContain(TOKEN).contains("adminToken=set");
    }
}

package io.fleethealth.processor.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /health/sessions with limit and cursor: a walk of the pages sees every session exactly once. */
class SessionPagingTest {

    private final FakeFleetQueries fleet = new FakeFleetQueries();
    private final List<String> ids = new ArrayList<>();
    private HttpApi api;
    private ApiClient client;

    @BeforeEach
    void start() throws IOException {
        for (int i = 0; i < 47; i++) {
            // ids that sort differently as UTF-16 and as UTF-8 bytes, and need escaping in a URL
            String id = switch (i % 4) {
                case 0 -> "s-" + i;
                case 1 -> "é/" + i;
                case 2 -> "\uFF21 wide " + i;
                default -> "\uD83D\uDE00+" + i;
            };
            ids.add(id);
            fleet.put(Sessions.session(id, i % 3 == 0 ? HealthStatus.FAILED : HealthStatus.HEALTHY, 0, 0, ErrorCategory.NONE,
                    null, Sessions.history(HealthStatus.HEALTHY)));
        }
        api = new HttpApi(HttpApiSettings.loopback(Optional.empty()), fleet, new RecordingSessionControls(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        client = new ApiClient(api.uri());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** Follows nextCursor until it is null; every page's ids in order. */
    private List<String> walk(String firstQuery, int limit) {
        List<String> seen = new ArrayList<>();
        String query = firstQuery + "limit=" + limit;
        for (int pages = 0; pages < 100; pages++) {
            ApiClient.Answer answer = client.get("/health/sessions?" + query);
            assertThat(answer.status()).isEqualTo(200);
            JsonNode body = answer.json();
            assertThat(body.get("count").asInt()).isEqualTo(body.get("sessions").size()).isLessThanOrEqualTo(limit);
            body.get("sessions").forEach(s -> seen.add(s.get("sessionId").asText()));
            if (body.get("nextCursor").isNull()) {
                return seen;
            }
            assertThat(body.get("count").asInt()).as("only a full page points to a next one").isEqualTo(limit);
            query = firstQuery + "limit=" + limit + "&cursor=" + URLEncoder.encode(body.get("nextCursor").asText(), StandardCharsets.UTF_8);
        }
        throw new AssertionError("more than 100 pages: the cursor does not advance");
    }

    @Test
    void shouldWalkEverySessionExactlyOnceInIdOrder() {
        List<String> seen = walk("", 5);

        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
        assertThat(seen).isSortedAccordingTo(SessionOrder.IDS);
    }

    @Test
    void shouldWalkTheSessionsOfOneStatusExactlyOnce() {
        List<String> seen = walk("status=FAILED&", 4);

        assertThat(seen).containsExactlyInAnyOrderElementsOf(
                ids.stream().filter(id -> ids.indexOf(id) % 3 == 0).toList());
    }

    @Test
    void shouldSeeASessionAddedAheadOfTheCursorAndNotRepeatOnes() {
        JsonNode first = client.get("/health/sessions?limit=10").json();
        fleet.put(Sessions.healthy("zzz-late"));
        List<String> rest = new ArrayList<>();
        String cursor = first.get("nextCursor").asText();
        while (cursor != null) {
            JsonNode page = client.get("/health/sessions?limit=10&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)).json();
            page.get("sessions").forEach(s -> rest.add(s.get("sessionId").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        }
        List<String> all = new ArrayList<>();
        first.get("sessions").forEach(s -> all.add(s.get("sessionId").asText()));
        all.addAll(rest);

        assertThat(all).doesNotHaveDuplicates().contains("zzz-late").hasSize(ids.size() + 1);
    }

    @Test
    void shouldAnswerEverythingOnOnePageWithoutALimitAsBefore() {
        JsonNode body = client.get("/health/sessions").json();

        assertThat(body.get("count").asInt()).isEqualTo(ids.size());
        assertThat(body.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void shouldRejectABadLimitOrCursorWith400() {
        assertThat(client.get("/health/sessions?limit=0").status()).isEqualTo(400);
        assertThat(client.get("/health/sessions?limit=" + (SessionRoutes.SESSIONS_MAX_LIMIT + 1)).status()).isEqualTo(400);
        assertThat(client.get("/health/sessions?limit=ten").status()).isEqualTo(400);
        ApiClient.Answer badCursor = client.get("/health/sessions?cursor=*not*base64*");
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.json().get("error").asText()).contains("cursor");
    }
}

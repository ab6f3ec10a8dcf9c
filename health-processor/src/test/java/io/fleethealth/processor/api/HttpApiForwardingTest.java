package io.fleethealth.processor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.HealthStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two processor instances: a question about a session goes to the instance whose stores hold it, one hop only. */
class HttpApiForwardingTest {

    private static final String TOKEN = "shared-admin-token";

    private final FakeFleetQueries firstFleet = new FakeFleetQueries();
    private final FakeFleetQueries secondFleet = new FakeFleetQueries();
    private final RecordingSessionControls firstControls = new RecordingSessionControls();
    private final RecordingSessionControls secondControls = new RecordingSessionControls();
    private HttpApi first;
    private HttpApi second;
    private RemoteOwner secondOwner;

    @BeforeEach
    void startTwoInstances() throws IOException {
        first = new HttpApi(HttpApiSettings.loopback(Optional.of(TOKEN)), firstFleet, firstControls,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        second = new HttpApi(HttpApiSettings.loopback(Optional.of(TOKEN)), secondFleet, secondControls,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        secondOwner = new RemoteOwner("127.0.0.1", second.port());
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
    }

    @Test
    void shouldAnswerWithTheOwningInstancesViewOfTheSession() {
        secondFleet.put(Sessions.unhealthy("remote-1", 2));
        firstFleet.ownedBy("remote-1", secondOwner);

        ApiClient.Answer answer = new ApiClient(first.uri()).get("/health/container/remote-1");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("sessionId").asText()).isEqualTo("remote-1");
        assertThat(answer.json().get("consecutiveFailures").asInt()).isEqualTo(2);
        assertThat(answer.json().get("history")).hasSize(3);
        assertThat(answer.header("X-Fleet-Served-By")).isEqualTo("127.0.0.1:" + second.port());
        assertThat(firstFleet.sessionLookups).hasValue(0);
        assertThat(secondFleet.sessionLookups).hasValue(1);
    }

    @Test
    void shouldRelayTheOwnersNotFound() {
        firstFleet.ownedBy("gone", secondOwner);

        ApiClient.Answer answer = new ApiClient(first.uri()).get("/health/container/gone");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("error").asText()).isEqualTo("unknown session: gone");
        assertThat(answer.header("X-Fleet-Served-By")).isEqualTo("127.0.0.1:" + second.port());
    }

    @Test
    void shouldNeverForwardAForwardedRequestAgain() {
        // During a rebalance both instances may think the other one owns the key.
        RemoteOwner firstOwner = new RemoteOwner("127.0.0.1", first.port());
        firstFleet.ownedBy("contested", secondOwner);
        secondFleet.ownedBy("contested", firstOwner);
        secondFleet.put(Sessions.healthy("contested"));

        ApiClient.Answer answer = new ApiClient(first.uri()).get("/health/container/contested");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("X-Fleet-Served-By")).isEqualTo("127.0.0.1:" + second.port());
        assertThat(firstFleet.ownerLookups).as("the first instance is asked once, by the client").hasValue(1);
        assertThat(secondFleet.ownerLookups).as("the forwarded request is answered locally").hasValue(0);
        assertThat(firstFleet.sessionLookups).hasValue(0);
        assertThat(secondFleet.sessionLookups).hasValue(1);
    }

    @Test
    void shouldForwardAResetToTheOwnerAndAuditTheOriginalCaller() {
        secondFleet.put(Sessions.failed("dead-remote"));
        firstFleet.ownedBy("dead-remote", secondOwner);

        ApiClient.Answer answer = new ApiClient(first.uri()).post("/health/sessions/dead-remote/reset",
                "{\"reason\":\"new image\"}", "Authorization", "Bearer " + TOKEN);

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.header("X-Fleet-Served-By")).isEqualTo("127.0.0.1:" + second.port());
        assertThat(firstControls.resets).isEmpty();
        assertThat(secondControls.resets).containsExactly(
                new RecordingSessionControls.Reset("dead-remote", "api@127.0.0.1 via 127.0.0.1", "new image"));
    }

    @Test
    void shouldNotForwardAResetThatFailsAuthentication() {
        secondFleet.put(Sessions.failed("dead-remote"));
        firstFleet.ownedBy("dead-remote", secondOwner);

        ApiClient.Answer answer = new ApiClient(first.uri()).post("/health/sessions/dead-remote/reset", "",
                "Authorization", "Bearer guess");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("X-Fleet-Served-By")).isNull();
        assertThat(secondFleet.sessionLookups).hasValue(0);
        assertThat(secondControls.resets).isEmpty();
    }

    @Test
    void shouldAnswer502WhenTheOwnerDoesNotAnswer() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        firstFleet.ownedBy("orphan", new RemoteOwner("127.0.0.1", closedPort));

        ApiClient.Answer answer = new ApiClient(first.uri()).get("/health/container/orphan");

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json().get("error").asText()).contains("127.0.0.1:" + closedPort).contains("did not answer");
        assertThat(answer.json().get("owner").asText()).isEqualTo("127.0.0.1:" + closedPort);
    }

    @Test
    void shouldAnswerLocallyWhenNoOtherInstanceOwnsTheSession() {
        firstFleet.put(Sessions.session("local", HealthStatus.RESTARTING, 3, 1, io.fleethealth.events.ErrorCategory.EXITED,
                "exited with code 1", Sessions.history(HealthStatus.FAILED)));

        ApiClient.Answer answer = new ApiClient(first.uri()).get("/health/container/local");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("status").asText()).isEqualTo("RESTARTING");
        assertThat(answer.header("X-Fleet-Served-By")).isNull();
        assertThat(secondFleet.sessionLookups).hasValue(0);
    }
}

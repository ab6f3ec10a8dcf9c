package io.fleethealth.processor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerSignatureTest {

    private static final Instant NOW = Instant.parse("2026-12-01T04:00:00Z");
    private final PeerSignature key = PeerSignature.of(Optional.of("peer-secret"), Optional.empty()).orElseThrow();

    @Test
    void shouldVerifyItsOwnSignatureOfTheSameRequest() {
        String header = key.sign("POST", "/health/sessions/s-1/reset", "10.0.0.7", NOW);
        assertThat(key.verify("POST", "/health/sessions/s-1/reset", "10.0.0.7", header, NOW.plusSeconds(5))).isTrue();
    }

    @Test
    void shouldRefuseAnotherCallerPathMethodOrKey() {
        String header = key.sign("POST", "/health/sessions/s-1/reset", "10.0.0.7", NOW);
        assertThat(key.verify("POST", "/health/sessions/s-1/reset", "203.0.113.9", header, NOW)).isFalse();
        assertThat(key.verify("POST", "/health/sessions/s-2/reset", "10.0.0.7", header, NOW)).isFalse();
        assertThat(key.verify("GET", "/health/sessions/s-1/reset", "10.0.0.7", header, NOW)).isFalse();
        PeerSignature other = PeerSignature.of(Optional.of("other-secret"), Optional.empty()).orElseThrow();
        assertThat(other.verify("POST", "/health/sessions/s-1/reset", "10.0.0.7", header, NOW)).isFalse();
    }

    @Test
    void shouldRefuseAStaleOrMalformedSignature() {
        String header = key.sign("GET", "/x", "a", NOW);
        assertThat(key.verify("GET", "/x", "a", header, NOW.plus(PeerSignature.MAX_SKEW).plusSeconds(1))).isFalse();
        assertThat(key.verify("GET", "/x", "a", null, NOW)).isFalse();
        assertThat(key.verify("GET", "/x", "a", "t=abc,sig=xyz", NOW)).isFalse();
        assertThat(key.verify("GET", "/x", "a", "t=" + NOW.getEpochSecond() + ",sig=%%%", NOW)).isFalse();
    }

    @Test
    void shouldDeriveOneKeyFromTheSharedAdminTokenAndNoneWithoutEither() {
        PeerSignature first = PeerSignature.fromEnv(Map.of(), Optional.of("admin-token")).orElseThrow();
        PeerSignature second = PeerSignature.fromEnv(Map.of(), Optional.of("admin-token")).orElseThrow();
        String header = first.sign("GET", "/x", "a", NOW);
        assertThat(second.verify("GET", "/x", "a", header, NOW)).isTrue();
        assertThat(header).doesNotContain("admin-token");
        assertThat(PeerSignature.fromEnv(Map.of(), Optional.empty())).isEmpty();
        assertThat(PeerSignature.fromEnv(Map.of("PROCESSOR_PEER_SECRET", "s"), Optional.empty())).isPresent();
    }
}

package io.fleethealth.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.events.HealthStatus;
import io.fleethealth.processor.decision.SessionState;
import io.fleethealth.processor.state.SessionStateSerde;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionCacheTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private KeyValueStore<String, SessionState> store;

    @BeforeEach
    void openStore() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("sessions"), Serdes.String(),
                new SessionStateSerde()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static SessionState state(String sessionId, HealthStatus status) {
        return SessionState.newSession(sessionId, T0).status(status).build();
    }

    @Test
    void shouldWriteEveryPutThroughToTheStore() {
        SessionCache cache = new SessionCache(store, 10);
        SessionState s1 = state("s1", HealthStatus.HEALTHY);

        cache.put("s1", s1);

        assertThat(store.get("s1")).isEqualTo(s1);
    }

    @Test
    void shouldServeTheStateItStoredWithoutDecodingItAgain() {
        SessionCache cache = new SessionCache(store, 10);
        SessionState s1 = state("s1", HealthStatus.HEALTHY);

        cache.put("s1", s1);

        assertThat(cache.get("s1")).isSameAs(s1);
    }

    @Test
    void shouldReadTheStoreOnAMissAndKeepWhatItRead() {
        SessionCache cache = new SessionCache(store, 10);
        store.put("s1", state("s1", HealthStatus.UNHEALTHY));

        SessionState first = cache.get("s1");

        assertThat(first).isEqualTo(state("s1", HealthStatus.UNHEALTHY));
        assertThat(cache.get("s1")).isSameAs(first);
        assertThat(cache.get("unknown")).isNull();
        assertThat(cache.cached()).isEqualTo(1);
    }

    @Test
    void shouldForgetADeletedSessionInTheStoreAndInTheCache() {
        SessionCache cache = new SessionCache(store, 10);
        cache.put("s1", state("s1", HealthStatus.HEALTHY));

        cache.delete("s1");

        assertThat(store.get("s1")).isNull();
        assertThat(cache.get("s1")).isNull();
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedSessionBeyondItsCapacity() {
        SessionCache cache = new SessionCache(store, 2);
        SessionState a = state("a", HealthStatus.HEALTHY);
        cache.put("a", a);
        cache.put("b", state("b", HealthStatus.HEALTHY));
        cache.get("a");
        cache.put("c", state("c", HealthStatus.HEALTHY));
        // Changed behind the cache's back: only an evicted entry is read again from the store.
        store.put("a", state("a", HealthStatus.FAILED));
        store.put("b", state("b", HealthStatus.FAILED));

        assertThat(cache.cached()).isEqualTo(2);
        assertThat(cache.get("a")).isSameAs(a);
        assertThat(cache.get("b").status()).isEqualTo(HealthStatus.FAILED);
    }

    @Test
    void shouldReadTheStoreAgainAfterBeingClearedSoThatARestoredStoreIsNotShadowed() {
        SessionCache cache = new SessionCache(store, 10);
        cache.put("s1", state("s1", HealthStatus.UNHEALTHY));
        store.put("s1", state("s1", HealthStatus.HEALTHY)); // what a restore from the changelog would leave

        cache.clear();

        assertThat(cache.cached()).isZero();
        assertThat(cache.get("s1").status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void shouldRefuseACapacityBelowOne() {
        assertThatThrownBy(() -> new SessionCache(store, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

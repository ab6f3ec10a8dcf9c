package io.fleethealth.processor.topology;

import io.fleethealth.processor.decision.SessionState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The session store with the latest states of recently seen sessions kept as objects in front of it, so
 * that a session's state is not read and decoded from the store for each of its events. Write-through:
 * every put and delete still goes to the store (and its changelog) first; the objects are immutable, so a
 * cached state is exactly what the store holds. Bounded (least recently used out). One per task, owned by
 * its processor on the stream thread, and emptied when the processor is initialised or closed, so that a
 * restored or reassigned store is never shadowed by states of an earlier life.
 */
final class SessionCache {

    private final KeyValueStore<String, SessionState> store;
    private final Map<String, SessionState> recent;

    SessionCache(KeyValueStore<String, SessionState> store, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.store = store;
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SessionState> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The session's state, or null if the store has none. */
    SessionState get(String sessionId) {
        SessionState state = recent.get(sessionId);
        if (state == null) {
            state = store.get(sessionId);
            if (state != null) {
                recent.put(sessionId, state);
            }
        }
        return state;
    }

    void put(String sessionId, SessionState state) {
        store.put(sessionId, state);
        recent.put(sessionId, state);
    }

    void delete(String sessionId) {
        recent.remove(sessionId);
        store.delete(sessionId);
    }

    int cached() {
        return recent.size();
    }

    void clear() {
        recent.clear();
    }
}

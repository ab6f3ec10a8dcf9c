package io.fleethealth.processor.api;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers the resets it was asked for; can be told to fail like a producer without a broker. */
final class RecordingSessionControls implements SessionControls {

    record Reset(String sessionId, String actor, String reason) {
    }

    record Release(String group, String actor) {
    }

    record Pause(String sessionId, boolean paused, String actor) {
    }

    final List<Reset> resets = new CopyOnWriteArrayList<>();
    final List<Release> releases = new CopyOnWriteArrayList<>();
    final List<Pause> pauses = new CopyOnWriteArrayList<>();
    private volatile RuntimeException failure;

    void failWith(RuntimeException e) {
        this.failure = e;
    }

    @Override
    public void reset(String sessionId, String actor, String reason) {
        if (failure != null) {
            throw failure;
        }
        resets.add(new Reset(sessionId, actor, reason));
    }

    @Override
    public void releaseIncident(String group, String actor) {
        if (failure != null) {
            throw failure;
        }
        releases.add(new Release(group, actor));
    }

    @Override
    public void pause(String sessionId, boolean paused, String actor, String reason) {
        if (failure != null) {
            throw failure;
        }
        pauses.add(new Pause(sessionId, paused, actor));
    }
}

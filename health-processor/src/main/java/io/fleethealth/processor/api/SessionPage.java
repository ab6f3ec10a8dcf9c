package io.fleethealth.processor.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing of sessions in session-id order (UTF-8 byte order, as the store keeps them).
 *
 * @param sessions at most the requested number, without history
 * @param next where the next page starts (after this session id); empty when this page is the last
 */
public record SessionPage(List<SessionView> sessions, Optional<String> next) {

    public SessionPage {
        sessions = List.copyOf(sessions);
        Objects.requireNonNull(next, "next");
    }
}

package io.fleethealth.contract.start;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a start has built so far, closed in reverse order when a later step fails (or when the whole thing
 * stops). Start-up code adds each part as soon as it exists, so a failure never leaves a thread or a socket behind.
 */
public final class StartedParts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StartedParts.class);

    private final String owner;
    private final Deque<Part> parts = new ArrayDeque<>();

    private record Part(String name, AutoCloseable closeable) {
    }

    public StartedParts(String owner) {
        this.owner = owner;
    }

    /** Remembers {@code part} to be closed before everything added earlier; returns it. */
    public synchronized <T extends AutoCloseable> T add(String name, T part) {
        parts.push(new Part(name, part));
        return part;
    }

    /** Closes every part, the last added first; a part that fails to close does not stop the others. */
    @Override
    public synchronized void close() {
        while (!parts.isEmpty()) {
            Part part = parts.pop();
            try {
                part.closeable().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("{}: interrupted while closing {}", owner, part.name());
            } catch (Exception e) {
                log.warn("{}: closing {} failed", owner, part.name(), e);
            }
        }
    }

    /** Closes what was started and rethrows {@code failure}: the one idiom of an all-or-nothing start. */
    public RuntimeException rollBack(RuntimeException failure) {
        close();
        return failure;
    }
}

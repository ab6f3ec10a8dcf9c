package io.fleethealth.agent.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command ids this host's agent has executed, kept under the state dir so that a command redelivered after an
 * agent restart is recognised. One line per id ({@code id<TAB>epoch-millis}), appended and forced to disk before the
 * restart it guards.
 *
 * <p>Crash safety: a crash mid-append leaves a torn last line; on open it is cut off (and the cut forced to disk) so
 * the next append starts on a line of its own. The record is compacted on open and whenever it doubles past its bound:
 * entries older than the retention go, then the oldest beyond {@code maxEntries}. Compaction writes a temp file, forces
 * it, renames it atomically over the record and forces the folder, so a crash leaves either the old or the new record.
 * An id only matters while its command can still arrive unexpired (minutes), so the retention is generous.
 */
public final class ExecutedCommands implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExecutedCommands.class);
    public static final String FILE_NAME = "executed-commands.log";
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private final Path dir;
    private final Path file;
    private final Clock clock;
    private final Duration retention;
    private final int maxEntries;
    /** Insertion order is age order: compaction keeps the newest. */
    private final LinkedHashMap<String, Instant> ids = new LinkedHashMap<>();
    private FileChannel channel;
    private int linesInFile;

    public ExecutedCommands(Path stateDir) {
        this(stateDir, Clock.systemUTC(), DEFAULT_RETENTION, DEFAULT_MAX_ENTRIES);
    }

    public ExecutedCommands(Path stateDir, Clock clock, Duration retention, int maxEntries) {
        this.dir = Objects.requireNonNull(stateDir, "stateDir");
        this.file = stateDir.resolve(FILE_NAME);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        this.maxEntries = maxEntries;
        try {
            Files.createDirectories(stateDir);
            if (Files.exists(file)) {
                load();
            }
            compact();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the executed-commands record " + file, e);
        }
    }

    private void load() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            log.warn("Executed-commands record {} ends in a torn line ({} bytes, a crash mid-write): cut off", file,
                    bytes.length - end);
        }
        Instant now = clock.instant();
        for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int tab = line.indexOf('\t');
            Instant at = now; // a line of the older id-only format: kept for a full retention from now
            String id = line.strip();
            if (tab > 0) {
                id = line.substring(0, tab).strip();
                try {
                    at = Instant.ofEpochMilli(Long.parseLong(line.substring(tab + 1).strip()));
                } catch (NumberFormatException e) {
                    log.warn("Executed-commands record {}: unreadable time in line '{}', kept as recorded now", file,
                            line);
                }
            }
            ids.remove(id);
            ids.put(id, at);
        }
    }

    public synchronized boolean contains(String commandId) {
        return ids.containsKey(commandId);
    }

    /** Ids currently remembered (after compaction). */
    public synchronized int size() {
        return ids.size();
    }

    /** Records the id durably; returns false when it was already recorded. */
    public synchronized boolean record(String commandId) {
        if (commandId.contains("\n") || commandId.contains("\t") || commandId.isBlank()) {
            throw new IllegalArgumentException("Not a command id: '" + commandId + "'");
        }
        if (ids.containsKey(commandId)) {
            return false;
        }
        Instant now = clock.instant();
        try {
            channel.write(ByteBuffer.wrap((commandId + "\t" + now.toEpochMilli() + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record command " + commandId + " in " + file, e);
        }
        ids.put(commandId, now);
        linesInFile++;
        if (linesInFile >= 2 * maxEntries) {
            try {
                compact();
            } catch (IOException e) {
                // The id is on disk already; the record is only longer than it should be until the next try.
                log.warn("Compacting the executed-commands record {} failed", file, e);
            }
        }
        return true;
    }

    /** Drops expired and surplus ids and rewrites the record atomically, then reopens it for appending. */
    private void compact() throws IOException {
        Instant horizon = clock.instant().minus(retention);
        ids.values().removeIf(at -> at.isBefore(horizon));
        int surplus = ids.size() - maxEntries;
        var it = ids.entrySet().iterator();
        while (surplus-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Instant> e : ids.entrySet()) {
            text.append(e.getKey()).append('\t').append(e.getValue().toEpochMilli()).append('\n');
        }
        if (channel != null) {
            channel.close();
            channel = null;
        }
        Path temp = dir.resolve(FILE_NAME + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The state dir " + dir + " cannot rename atomically", e);
        }
        forceDirectory();
        linesInFile = ids.size();
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** Makes the rename (and the file's creation) durable: on Linux a directory is forced through a read channel. */
    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open a directory; the rename is then as durable as they make it.
            log.debug("Cannot force the state dir {}", dir, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.fleethealth.agent.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The command ids this host's agent has executed, kept in an append-only file under the state dir so that a command
 * redelivered after an agent restart is recognised. Each id is forced to disk before the restart it guards.
 */
public final class ExecutedCommands implements AutoCloseable {

    private final Path file;
    private final Set<String> ids = new HashSet<>();
    private final FileChannel channel;

    public ExecutedCommands(Path stateDir) {
        this.file = stateDir.resolve("executed-commands.log");
        try {
            Files.createDirectories(stateDir);
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        ids.add(line.strip()); // a torn last line (crash mid-write) is simply a shorter id: harmless
                    }
                }
            }
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the executed-commands record " + file, e);
        }
    }

    public synchronized boolean contains(String commandId) {
        return ids.contains(commandId);
    }

    /** Records the id durably; returns false when it was already recorded. */
    public synchronized boolean record(String commandId) {
        if (commandId.contains("\n") || commandId.isBlank()) {
            throw new IllegalArgumentException("Not a command id: '" + commandId + "'");
        }
        if (!ids.add(commandId)) {
            return false;
        }
        try {
            channel.write(java.nio.ByteBuffer.wrap((commandId + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
        } catch (IOException e) {
            ids.remove(commandId);
            throw new UncheckedIOException("Cannot record command " + commandId + " in " + file, e);
        }
        return true;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

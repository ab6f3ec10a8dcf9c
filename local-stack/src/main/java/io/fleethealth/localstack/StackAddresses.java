package io.fleethealth.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The loopback ports of the embedded stack, chosen once (free ports at the first start) and remembered in
 * {@value #FILE_NAME} in the stack's folder. A restart comes back on the same addresses, so clients that kept
 * running (an agent, a processor, a shell holding the bootstrap address) reconnect by themselves.
 */
public record StackAddresses(int brokerPort, int controllerPort, int registryPort) {

    public static final String FILE_NAME = "addresses.properties";

    public StackAddresses {
        for (int port : new int[] {brokerPort, controllerPort, registryPort}) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be from 1 to 65535, was " + port);
            }
        }
    }

    /** The addresses remembered in {@code dir}, or new free ports, written there before they are used. */
    public static StackAddresses loadOrChoose(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            return load(file);
        }
        StackAddresses chosen = new StackAddresses(FreePorts.next(), FreePorts.next(), FreePorts.next());
        chosen.save(file);
        return chosen;
    }

    /**
     * Fails with a message naming the port, the file and the way out when another process holds a remembered
     * port (typically the same stack still running), instead of a bind error deep in the broker.
     */
    public void checkFree(Path dir) {
        for (int port : new int[] {brokerPort, controllerPort, registryPort}) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            } catch (IOException e) {
                throw new IllegalStateException("port " + port + " remembered in " + dir.resolve(FILE_NAME)
                        + " is in use by another process (is this stack already running?). Stop it, or start"
                        + " fresh with new ports (fleet-health --fresh, or delete " + dir + ")", e);
            }
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    private static StackAddresses load(Path file) {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return new StackAddresses(port(props, "broker.port", file), port(props, "controller.port", file),
                port(props, "registry.port", file));
    }

    private static int port(Properties props, String key, Path file) {
        String value = props.getProperty(key, "").strip();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + ": " + key + " must be a port number, was '" + value
                    + "'; delete the file to choose new ports", e);
        }
    }

    private void save(Path file) {
        Properties props = new Properties();
        props.setProperty("broker.port", Integer.toString(brokerPort));
        props.setProperty("controller.port", Integer.toString(controllerPort));
        props.setProperty("registry.port", Integer.toString(registryPort));
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                props.store(out, "Loopback ports of the embedded stack, chosen at its first start");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}

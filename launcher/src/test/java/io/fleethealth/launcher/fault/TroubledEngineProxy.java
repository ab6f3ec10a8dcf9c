package io.fleethealth.launcher.fault;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A Docker API proxy on a loopback TCP port in front of the real engine's unix socket, for the fault suite: it makes
 * the engine slow or failing without touching dockerd, which other tests share. Container inspects
 * ({@code GET /containers/{id}/json}) can be delayed or answered with a 500; every other call (list, restart, events)
 * passes through untouched, so the agent's real code meets a real engine that answers some calls and not others.
 * One request per connection: the proxy asks the engine and the client to close after each answer.
 */
final class TroubledEngineProxy implements Closeable {

    enum Mode { PASS, SLOW_INSPECT, FAILING_INSPECT }

    private static final Pattern INSPECT = Pattern.compile("^GET /(v[0-9.]+/)?containers/[^/?]+/json(\\?\\S*)? HTTP/1\\.[01]$");

    private final Path engineSocket;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "engine-proxy");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong inspectsTroubled = new AtomicLong();
    private volatile Mode mode = Mode.PASS;
    private volatile long delayMs = 3_000;

    private TroubledEngineProxy(Path engineSocket, ServerSocket server) {
        this.engineSocket = engineSocket;
        this.server = server;
    }

    static TroubledEngineProxy start(String dockerHost) throws IOException {
        if (!dockerHost.startsWith("unix://")) {
            throw new IllegalArgumentException("the proxy fronts a unix socket engine, not " + dockerHost);
        }
        ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        TroubledEngineProxy proxy = new TroubledEngineProxy(Path.of(dockerHost.substring("unix://".length())), server);
        proxy.threads.submit(proxy::acceptLoop);
        return proxy;
    }

    /** DOCKER_HOST for the agent. */
    String dockerHost() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    void mode(Mode mode, long delayMs) {
        this.delayMs = delayMs;
        this.mode = mode;
    }

    /** Inspects delayed or failed so far: proof that the trouble reached the agent. */
    long inspectsTroubled() {
        return inspectsTroubled.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.submit(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client; SocketChannel engine = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            InputStream fromClient = client.getInputStream();
            String head = readHead(fromClient);
            if (head == null) {
                return;
            }
            String requestLine = head.substring(0, head.indexOf("\r\n"));
            if (INSPECT.matcher(requestLine).matches()) {
                Mode now = mode;
                if (now == Mode.FAILING_INSPECT) {
                    inspectsTroubled.incrementAndGet();
                    byte[] body = "{\"message\":\"injected engine error\"}".getBytes(StandardCharsets.UTF_8);
                    OutputStream out = client.getOutputStream();
                    out.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    return;
                }
                if (now == Mode.SLOW_INSPECT) {
                    inspectsTroubled.incrementAndGet();
                    Thread.sleep(delayMs);
                }
            }
            engine.connect(UnixDomainSocketAddress.of(engineSocket));
            OutputStream toEngine = Channels.newOutputStream(engine);
            toEngine.write(withConnectionClose(head).getBytes(StandardCharsets.ISO_8859_1));
            long length = contentLength(head);
            if (length > 0) {
                toEngine.write(fromClient.readNBytes((int) length));
            }
            toEngine.flush();
            InputStream fromEngine = Channels.newInputStream(engine);
            String responseHead = readHead(fromEngine);
            if (responseHead == null) {
                return;
            }
            OutputStream toClient = client.getOutputStream();
            toClient.write(withConnectionClose(responseHead).getBytes(StandardCharsets.ISO_8859_1));
            toClient.flush();
            byte[] buffer = new byte[8192];
            for (int n = fromEngine.read(buffer); n >= 0; n = fromEngine.read(buffer)) {
                toClient.write(buffer, 0, n);
                toClient.flush(); // the event stream must flow as it comes
            }
        } catch (IOException e) {
            // the client or the engine went away: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads up to and including the blank line after the headers; null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) { // CR LF CR LF
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String withConnectionClose(String head) {
        StringBuilder out = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (!line.isEmpty() && !line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                out.append(line).append("\r\n");
            }
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}

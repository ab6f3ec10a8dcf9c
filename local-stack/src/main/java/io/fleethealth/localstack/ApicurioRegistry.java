package io.fleethealth.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Apicurio schema registry (Confluent-compatible API) as a child process on a loopback port, with the
 * BACKWARD compatibility rule for every subject. Its storage is either in memory (gone with the process) or
 * Apicurio's KafkaSQL journal on a Kafka cluster, so schemas and their ids live exactly as long as the records
 * that name them. A shutdown hook kills the child if the JVM exits without {@link #close()}.
 */
public final class ApicurioRegistry implements AutoCloseable {

    /** System property naming the unpacked bundle folder; the environment variable below is the fallback. */
    public static final String DIR_PROPERTY = "fleet.apicurio.dir";
    public static final String DIR_ENV = LocalStackSettings.APICURIO_DIR.key();
    static final String RUNNER_JAR = "apicurio-registry-app-3.0.9-runner.jar";

    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final Thread shutdownHook;
    private final URI baseUrl;
    private final Path logFile;
    private boolean closed;

    private ApicurioRegistry(Process process, Thread shutdownHook, URI baseUrl, Path logFile) {
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.baseUrl = baseUrl;
        this.logFile = logFile;
    }

    /** Where the registry keeps its schemas. */
    public sealed interface Storage {
        /** Apicurio's default: an in-memory database, empty at every start. */
        static Storage inMemory() {
            return new InMemory();
        }

        /** Apicurio's KafkaSQL storage: a journal topic on the cluster at {@code bootstrapServers}. */
        static Storage kafkaSql(String bootstrapServers) {
            return new KafkaSql(bootstrapServers, JOURNAL_TOPIC, SNAPSHOTS_TOPIC);
        }
    }

    record InMemory() implements Storage {
    }

    /** The journal is replayed at every start, so ids and versions come back as they were issued. */
    record KafkaSql(String bootstrapServers, String journalTopic, String snapshotsTopic) implements Storage {
    }

    /** The registry's journal topic on the fleet's cluster (KafkaSQL storage); Apicurio creates it. */
    public static final String JOURNAL_TOPIC = "fleet.schemas.journal";
    public static final String SNAPSHOTS_TOPIC = "fleet.schemas.snapshots";

    /** Starts an in-memory registry from the bundle found by {@link #locateBundle()}, logging to {@code workDir}. */
    public static ApicurioRegistry start(Path workDir) {
        return start(locateBundle(), workDir);
    }

    /** Starts an in-memory registry from the unpacked bundle in {@code bundleDir} and waits until it is ready. */
    public static ApicurioRegistry start(Path bundleDir, Path workDir) {
        return start(bundleDir, workDir, Storage.inMemory(), FreePorts.next());
    }

    /**
     * Starts the registry from the unpacked bundle in {@code bundleDir} on {@code 127.0.0.1:port} with the given
     * storage, and waits until it is ready (for KafkaSQL: until it has replayed its journal).
     */
    public static ApicurioRegistry start(Path bundleDir, Path workDir, Storage storage, int port) {
        Path jar = runnerJar(bundleDir);
        Instant begin = Instant.now();
        URI baseUrl = URI.create("http://127.0.0.1:" + port);
        Path logFile = workDir.resolve("apicurio-" + port + ".log");
        Process process = launch(jar, port, storage, workDir, logFile);
        Thread hook = new Thread(() -> kill(process), "apicurio-registry-reaper-" + port);
        Runtime.getRuntime().addShutdownHook(hook);
        ApicurioRegistry registry = new ApicurioRegistry(process, hook, baseUrl, logFile);
        boolean ready = false;
        try {
            awaitReady(process, baseUrl.resolve("/health/ready"));
            ready = true;
        } catch (RuntimeException e) {
            registry.close();
            throw new IllegalStateException("Apicurio registry failed to start on port " + port + ": "
                    + e.getMessage() + "\n--- last lines of " + logFile + " ---\n" + tail(logFile), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the Apicurio registry on port " + port, e);
        } finally {
            if (!ready) {
                registry.close();
            }
        }
        log.info("Apicurio registry ready at {} (pid {}, log {}) in {} ms",
                baseUrl, process.pid(), logFile, Duration.between(begin, Instant.now()).toMillis());
        return registry;
    }

    /**
     * The unpacked bundle: system property {@value #DIR_PROPERTY}, else {@code FLEET_APICURIO_DIR}, else
     * {@code ./local-stack/target/apicurio} (the build unpacks it there).
     */
    public static Path locateBundle() {
        String fromProperty = System.getProperty(DIR_PROPERTY);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Path.of(fromProperty);
        }
        return LocalStackSettings.APICURIO_DIR.resolve(System.getenv(DIR_ENV), null);
    }

    /** Root of the Confluent-compatible API, what a schema registry client is given. */
    public URI ccompatUrl() {
        return baseUrl.resolve("/apis/ccompat/v7");
    }

    /** Root of the registry's own HTTP server, e.g. for {@code /health/ready}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** Process id of the child, to check from outside that it is gone. */
    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return logFile;
    }

    /** Stops the child (SIGTERM, then SIGKILL after a grace period) and waits until it is gone. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        kill(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook runs anyway and finds the child gone.
        }
        log.info("Apicurio registry at {} stopped (exit {})", baseUrl, process.isAlive() ? "?" : process.exitValue());
    }

    static Path runnerJar(Path bundleDir) {
        Path jar = bundleDir.resolve(RUNNER_JAR);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Apicurio registry bundle not found: " + jar.toAbsolutePath()
                    + " does not exist. Run `mvn -B install -DskipTests` in the project root first (it unpacks"
                    + " the bundle into local-stack/target/apicurio), or point -D" + DIR_PROPERTY + " or "
                    + DIR_ENV + " at an unpacked apicurio-registry-app-3.0.9-all bundle.");
        }
        return jar;
    }

    private static Process launch(Path jar, int port, Storage storage, Path workDir, Path logFile) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java,
                "-Xmx256m",
                // C1 only and the serial collector: ready ~30% sooner, the registry's load is tiny.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dapicurio.rules.global.compatibility=BACKWARD",
                // The in-memory H2 pool opens 20 connections at start by default.
                "-Dapicurio.datasource.jdbc.initial-size=1",
                "-Dapicurio.datasource.jdbc.min-size=1",
                "-Dapicurio.datasource.jdbc.max-size=8",
                "-Djava.io.tmpdir=" + workDir.toAbsolutePath()));
        command.addAll(storageOptions(storage));
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        try {
            Files.createDirectories(workDir);
            return new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot launch " + String.join(" ", command), e);
        }
    }

    static List<String> storageOptions(Storage storage) {
        if (storage instanceof KafkaSql kafkaSql) {
            return List.of("-Dapicurio.storage.kind=kafkasql",
                    "-Dapicurio.kafkasql.bootstrap.servers=" + kafkaSql.bootstrapServers(),
                    "-Dapicurio.kafkasql.topic=" + kafkaSql.journalTopic(),
                    "-Dapicurio.kafkasql.snapshots.topic=" + kafkaSql.snapshotsTopic(),
                    // Keys under apicurio.kafkasql.topic. become the journal's topic configs when Apicurio
                    // creates it: the broker's default retention (7 days) would drop schemas old records use.
                    "-Dapicurio.kafkasql.topic.retention.ms=-1",
                    "-Dapicurio.kafkasql.topic.retention.bytes=-1");
        }
        return List.of("-Dapicurio.storage.kind=sql");
    }

    private static void awaitReady(Process process, URI readyUrl) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(readyUrl).timeout(Duration.ofSeconds(5)).GET().build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        String lastAnswer = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the registry process exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastAnswer = "HTTP " + response.statusCode();
            } catch (IOException notListeningYet) {
                lastAnswer = notListeningYet.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(readyUrl + " not ready within " + READY_TIMEOUT.toSeconds()
                + " s (last: " + lastAnswer + ")");
    }

    private static void kill(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}

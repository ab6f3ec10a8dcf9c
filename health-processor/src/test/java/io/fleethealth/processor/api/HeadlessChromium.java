package io.fleethealth.processor.api;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium driven through chromedriver's W3C WebDriver HTTP protocol, with nothing but the
 * JDK's HttpClient. Missing browser or driver is a failure that says how to install them, never a skip.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic", "--window-size=1400,900");

    /** The W3C key of an element reference in WebDriver answers. */
    private static final String ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process driver;
    private final URI driverUri;
    private final String session;
    private Path profile;

    private HeadlessChromium(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        int port = freePort();
        driverUri = URI.create("http://127.0.0.1:" + port);
        driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--log-path=" + workDir.resolve("chromedriver.log"))
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("chromedriver.out").toFile())
                .start();
        try {
            await("chromedriver ready on " + driverUri).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> call("GET", "/status", null).at("/value/ready").asBoolean());
            session = call("POST", "/session", capabilities(workDir)).at("/value/sessionId").asText();
        } catch (RuntimeException e) {
            stopDriver();
            throw new IllegalStateException("could not start headless Chromium; see " + workDir.resolve("chromedriver.log"), e);
        }
    }

    /** Starts chromedriver on a free loopback port and opens a browser session with a fresh profile under {@code workDir}. */
    static HeadlessChromium start(Path workDir) throws IOException {
        for (Path tool : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(tool)) {
                throw new AssertionError(tool + " is missing: the dashboard test needs Debian's headless Chromium; "
                        + "install it with `apt-get install chromium chromium-driver`");
            }
        }
        return new HeadlessChromium(workDir);
    }

    private ObjectNode capabilities(Path workDir) throws IOException {
        profile = Files.createTempDirectory(workDir, "profile-");
        ObjectNode options = json.createObjectNode().put("binary", CHROMIUM.toString());
        ArrayNode args = options.putArray("args");
        FLAGS.forEach(args::add);
        args.add("--user-data-dir=" + profile);
        ObjectNode request = json.createObjectNode();
        ObjectNode alwaysMatch = request.putObject("capabilities").putObject("alwaysMatch");
        alwaysMatch.put("browserName", "chrome");
        alwaysMatch.set("goog:chromeOptions", options);
        return request;
    }

    void open(URI page) {
        call("POST", path("/url"), json.createObjectNode().put("url", page.toString()));
    }

    /** Runs {@code script} (a function body; use {@code return}) in the page and gives its result. */
    JsonNode execute(String script, Object... args) {
        ObjectNode body = json.createObjectNode().put("script", script);
        ArrayNode array = body.putArray("args");
        for (Object arg : args) {
            array.add(json.valueToTree(arg));
        }
        return call("POST", path("/execute/sync"), body).get("value");
    }

    /** Text of the first element matching {@code css}, or null when there is none. */
    String text(String css) {
        JsonNode value = execute("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", css);
        return value.isNull() ? null : value.asText();
    }

    /** Clicks the first element matching {@code css} the way a user would (through WebDriver, not a script). */
    void click(String css) {
        ObjectNode query = json.createObjectNode().put("using", "css selector").put("value", css);
        String element = call("POST", path("/element"), query).at("/value/" + ELEMENT_KEY).asText();
        call("POST", path("/element/" + element + "/click"), json.createObjectNode());
    }

    /** Types into the first element matching {@code css}. */
    void type(String css, String text) {
        ObjectNode query = json.createObjectNode().put("using", "css selector").put("value", css);
        String element = call("POST", path("/element"), query).at("/value/" + ELEMENT_KEY).asText();
        call("POST", path("/element/" + element + "/value"), json.createObjectNode().put("text", text));
    }

    byte[] screenshot() {
        return Base64.getDecoder().decode(call("GET", path("/screenshot"), null).get("value").asText());
    }

    private String path(String suffix) {
        return "/session/" + session + suffix;
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(driverUri.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json; charset=utf-8")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = json.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("WebDriver " + method + " " + path + " answered " + response.statusCode()
                        + ": " + answer.at("/value/error").asText() + " - " + answer.at("/value/message").asText());
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException("WebDriver " + method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted talking to chromedriver", e);
        }
    }

    @Override
    public void close() {
        try {
            call("DELETE", "/session/" + session, null);
        } catch (RuntimeException e) {
            // The driver is stopped below in any case; its browser goes with it.
        } finally {
            stopDriver();
        }
    }

    private void stopDriver() {
        List<ProcessHandle> children = driver.descendants().toList();
        driver.destroy();
        try {
            if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                driver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            driver.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        // No orphaned browser processes, even when the session could not be deleted.
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        deleteProfile();
    }

    private void deleteProfile() {
        if (profile == null) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // Only disk space under target/ is at stake; the next clean removes it.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

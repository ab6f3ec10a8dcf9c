package io.fleethealth.processor.api;

import io.fleethealth.http.ApiException;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request about a session to the processor instance whose stores hold it, and relays the answer.
 * One hop only: the forwarded request carries {@link #FORWARDED_HEADER}, and a request that carries it is
 * always answered locally, so two instances that disagree about ownership during a rebalance cannot ping-pong.
 */
final class OwnerForwarding {

    static final String FORWARDED_HEADER = "X-Fleet-Forwarded";
    /** The original caller's address, so that the owner audits who really asked. */
    static final String FORWARDED_FOR_HEADER = "X-Fleet-Forwarded-For";
    /** Set on a relayed answer: which instance answered. */
    static final String SERVED_BY_HEADER = "X-Fleet-Served-By";
    private static final String JSON = "application/json; charset=utf-8";

    private static final Logger log = LoggerFactory.getLogger(OwnerForwarding.class);

    private final FleetQueries queries;
    private final HttpClient client;
    private final Duration timeout;
    private final ApiTls tls;
    private final Optional<PeerSignature> peers;

    OwnerForwarding(FleetQueries queries, Duration timeout) {
        this(queries, timeout, ApiTls.NONE, Optional.empty());
    }

    /**
     * With TLS every forward goes over https: the admin token it carries never travels in clear text. With a peer
     * key every forward is signed, and only a signed one has its caller believed.
     */
    OwnerForwarding(FleetQueries queries, Duration timeout, ApiTls tls, Optional<PeerSignature> peers) {
        this.queries = queries;
        this.timeout = timeout;
        this.tls = tls;
        this.peers = peers;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        tls.clientContext().ifPresent(builder::sslContext);
        this.client = builder.build();
    }

    /**
     * When another instance owns the session and this request was not forwarded already: relays the request
     * there with the given headers and body, writes the owner's answer to {@code ctx} and returns true.
     *
     * @throws ApiException 502 when the owner does not answer, 503 when interrupted
     */
    boolean relayed(Context ctx, String sessionId, Map<String, String> headers, byte[] body) {
        if (ctx.header(FORWARDED_HEADER) != null) {
            return false;
        }
        return queries.ownerOf(sessionId).map(owner -> {
            String query = ctx.queryString();
            String pathAndQuery = ctx.req().getRequestURI() + (query == null ? "" : "?" + query);
            log.debug("session {} is owned by {}: forwarding {}", sessionId, owner, pathAndQuery);
            forward(ctx, owner, pathAndQuery, headers, body);
            return true;
        }).orElse(false);
    }

    private void forward(Context ctx, RemoteOwner owner, String rawPathAndQuery, Map<String, String> headers, byte[] body) {
        String method = ctx.method().name();
        URI target = owner.uri(tls.scheme(), rawPathAndQuery);
        if (tls.enabled() && !"https".equals(target.getScheme())) {
            throw new IllegalStateException("refusing to forward over " + target.getScheme() + " with TLS configured");
        }
        String caller = callerAddress(ctx);
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header(FORWARDED_HEADER, "1")
                .header(FORWARDED_FOR_HEADER, caller)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        peers.ifPresent(key -> request.header(PeerSignature.HEADER, key.sign(method, rawPathAndQuery, caller, Instant.now())));
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            ctx.status(response.statusCode())
                    .contentType(response.headers().firstValue("Content-Type").orElse(JSON))
                    .header(SERVED_BY_HEADER, owner.toString())
                    .result(response.body());
        } catch (IOException e) {
            log.warn("forward {} {} to owner {} failed", method, rawPathAndQuery, owner, e);
            throw new ApiException(502, "the instance owning this session (" + owner + ") did not answer: " + e.getMessage(),
                    Map.of("owner", owner.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while asking the instance owning this session (" + owner + ")");
        }
    }

    /**
     * Who asked: the original caller for a request forwarded by another instance, which proves it with a
     * {@link PeerSignature}. A client's own X-Fleet-Forwarded-For is ignored: it would name any actor it likes.
     */
    String callerAddress(Context ctx) {
        String direct = ctx.req().getRemoteAddr();
        if (ctx.header(FORWARDED_HEADER) != null) {
            String original = ctx.header(FORWARDED_FOR_HEADER);
            String query = ctx.queryString();
            String pathAndQuery = ctx.req().getRequestURI() + (query == null ? "" : "?" + query);
            boolean fromPeer = original != null && !original.isBlank() && peers.isPresent()
                    && peers.get().verify(ctx.method().name(), pathAndQuery, original, ctx.header(PeerSignature.HEADER),
                    Instant.now());
            if (fromPeer) {
                return original.strip() + " via " + direct;
            }
            if (original != null) {
                log.warn("ignoring {}: '{}' from {} without a valid peer signature", FORWARDED_FOR_HEADER,
                        abbreviate(original), direct);
            }
        }
        return direct;
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("[\\r\\n]", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 80) + "...";
    }
}

package io.fleethealth.processor.api;

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
final class OwnerForwarding implements AutoCloseable {

    static final String FORWARDED_HEADER = "X-Fleet-Forwarded";
    /** The original caller's address, so that the owner audits who really asked. */
    static final String FORWARDED_FOR_HEADER = "X-Fleet-Forwarded-For";
    /** Set on a relayed answer: which instance answered. */
    static final String SERVED_BY_HEADER = "X-Fleet-Served-By";

    private static final Logger log = LoggerFactory.getLogger(OwnerForwarding.class);

    private final HttpClient client;
    private final Duration timeout;
    private final ApiTls tls;
    private final Optional<PeerSignature> peers;

    OwnerForwarding(Duration timeout) {
        this(timeout, ApiTls.NONE, Optional.empty());
    }

    /** With TLS every forward goes over https: the admin token it carries never travels in clear text. */
    OwnerForwarding(Duration timeout, ApiTls tls, Optional<PeerSignature> peers) {
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
     * Relays {@code method rawPathAndQuery} to {@code owner} with the given headers and body.
     *
     * @throws ApiException 502 when the owner does not answer, 503 when interrupted
     */
    Reply forward(RemoteOwner owner, String method, String rawPathAndQuery, Map<String, String> headers, byte[] body,
            String callerAddress) {
        URI target = owner.uri(tls.scheme(), rawPathAndQuery);
        if (tls.enabled() && !"https".equals(target.getScheme())) {
            throw new IllegalStateException("refusing to forward over " + target.getScheme() + " with TLS configured");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header(FORWARDED_HEADER, "1")
                .header(FORWARDED_FOR_HEADER, callerAddress)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        peers.ifPresent(key -> request.header(PeerSignature.HEADER,
                key.sign(method, rawPathAndQuery, callerAddress, Instant.now())));
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String contentType = response.headers().firstValue("Content-Type").orElse(Reply.JSON);
            return Reply.of(response.statusCode(), contentType, response.body()).withHeader(SERVED_BY_HEADER, owner.toString());
        } catch (IOException e) {
            log.warn("forward {} {} to owner {} failed", method, rawPathAndQuery, owner, e);
            throw new ApiException(502, "the instance owning this session (" + owner + ") did not answer: " + e.getMessage(),
                    Map.of("owner", owner.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while asking the instance owning this session (" + owner + ")");
        }
    }

    @Override
    public void close() {
        // HttpClient gains close() only in Java 21; on 17 its threads end once it is unreachable.
    }
}

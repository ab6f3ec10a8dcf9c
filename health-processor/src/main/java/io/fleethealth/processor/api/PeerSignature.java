package io.fleethealth.processor.api;

import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.ValueParser;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proves that a forwarded request comes from another processor instance: an HMAC-SHA256 over the method, the path,
 * the original caller and a timestamp, keyed by a secret the instances share. Only a request that carries a valid
 * signature has its {@code X-Fleet-Forwarded-For} believed; any client can set that header, and the actor it names
 * goes into the audit trail of a reset.
 *
 * <p>The key is {@code PROCESSOR_PEER_SECRET}, or else derived from {@code FLEET_ADMIN_TOKEN}, which every instance
 * of a deployment shares already (never the token itself: a signature reveals nothing about it).
 */
public final class PeerSignature {

    public static final String HEADER = "X-Fleet-Peer-Signature";
    /** How far a peer's clock and the request's travel may put the timestamp off: replays beyond it fail. */
    static final Duration MAX_SKEW = Duration.ofSeconds(60);

    public static final Setting<Optional<String>> PEER_SECRET = Setting.secret("PROCESSOR_PEER_SECRET",
            "secret shared by the processor instances to sign requests forwarded between them (without it or"
                    + " FLEET_ADMIN_TOKEN, X-Fleet-Forwarded-For is never trusted)", "(from FLEET_ADMIN_TOKEN)",
            ValueParser.text());

    private final byte[] key;

    private PeerSignature(byte[] key) {
        this.key = key;
    }

    /** Empty when neither a peer secret nor an admin token is set: then no forwarded caller is believed. */
    public static Optional<PeerSignature> fromEnv(Map<String, String> env, Optional<String> adminToken) {
        Optional<String> secret = PEER_SECRET.resolve(env.get(PEER_SECRET.key()), null);
        return of(secret, adminToken);
    }

    public static Optional<PeerSignature> of(Optional<String> peerSecret, Optional<String> adminToken) {
        if (peerSecret.isPresent()) {
            return Optional.of(new PeerSignature(peerSecret.get().getBytes(StandardCharsets.UTF_8)));
        }
        return adminToken.filter(t -> !t.isBlank())
                .map(token -> new PeerSignature(hmac("fleet-health peer key".getBytes(StandardCharsets.UTF_8), token)));
    }

    /** The header value for a request forwarded now. */
    String sign(String method, String pathAndQuery, String forwardedFor, Instant now) {
        long t = now.getEpochSecond();
        return "t=" + t + ",sig=" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(hmac(key, payload(method, pathAndQuery, forwardedFor, t)));
    }

    /** True when {@code header} is this deployment's signature of exactly this request, made recently. */
    boolean verify(String method, String pathAndQuery, String forwardedFor, String header, Instant now) {
        if (header == null || forwardedFor == null) {
            return false;
        }
        String[] parts = header.split(",sig=", 2);
        if (parts.length != 2 || !parts[0].startsWith("t=")) {
            return false;
        }
        long t;
        try {
            t = Long.parseLong(parts[0].substring(2));
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - t) > MAX_SKEW.toSeconds()) {
            return false;
        }
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(key, payload(method, pathAndQuery, forwardedFor, t)), presented);
    }

    private static String payload(String method, String pathAndQuery, String forwardedFor, long t) {
        return method + "\n" + pathAndQuery + "\n" + forwardedFor + "\n" + t;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java platform must provide HmacSHA256", e);
        }
    }

    @Override
    public String toString() {
        return "PeerSignature[HmacSHA256, key hidden]";
    }
}

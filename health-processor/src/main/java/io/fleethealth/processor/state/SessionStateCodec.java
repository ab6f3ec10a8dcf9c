package io.fleethealth.processor.state;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.processor.decision.ActiveAlert;
import io.fleethealth.processor.decision.AlertKind;
import io.fleethealth.processor.decision.IdConflict;
import io.fleethealth.processor.decision.PendingRestart;
import io.fleethealth.processor.decision.SessionState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Session state to and from bytes for the state store (and its changelog, private to the processor).
 *
 * <p>The format is binary, because the state is decoded and encoded on the stream thread for every event:
 * one version byte ({@value #VERSION}), then the fields in record order. Strings are UTF-8 with a varint
 * length (0 means null), enums are written by name (so reordering their constants is safe), ints are
 * zig-zag varints, and instants keep every nanosecond: epoch millis when that is exact, else seconds and
 * nanos. A change of layout takes a new version; {@link #decode} keeps reading the old ones. Bytes that
 * start with {@code '{'} are the JSON of the first processors (ISO-8601 instants, unknown fields ignored),
 * still read so that a changelog written before the binary format restores. Thread-safe.
 */
public final class SessionStateCodec {

    /**
     * The format {@link #encode} writes. Never 0x7B ('{'), which marks the legacy JSON. Version 2 = version 1
     * plus the invalid overrides at the end (and the unmanaged flag, a bit version 1 never set). Version 3 =
     * version 2 plus the restarts the agent answered and the session-id conflict.
     */
    static final byte VERSION = 3;
    private static final byte VERSION_2 = 2;
    private static final byte VERSION_1 = 1;
    private static final byte LEGACY_JSON = '{';

    private static final byte NULL_INSTANT = 0;
    private static final byte MILLIS_INSTANT = 1;
    private static final byte NANOS_INSTANT = 2;

    /** Beyond this many seconds from the epoch, millis would overflow a long: such instants take the long form. */
    private static final long MAX_MILLIS_SECONDS = Long.MAX_VALUE / 1000 - 1;

    private static final int PAUSED = 1;
    private static final int STALE = 2;
    private static final int UNMANAGED = 4;

    private final ObjectReader legacyJson;

    public SessionStateCodec() {
        SimpleModule instants = new SimpleModule("instants")
                .addDeserializer(Instant.class, new JsonDeserializer<>() {
                    @Override
                    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                        return Instant.parse(parser.getValueAsString());
                    }
                });
        this.legacyJson = new ObjectMapper()
                .registerModule(instants)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readerFor(SessionState.class);
    }

    public byte[] encode(SessionState state) {
        Out out = new Out(256);
        out.rawByte(VERSION);
        out.string(state.sessionId());
        out.string(state.hostId());
        out.string(state.containerId());
        out.string(state.containerName());
        out.enumName(state.status());
        out.enumName(state.previousStatus());
        out.string(state.reason());
        out.instant(state.lastTransitionAt());
        out.varint(state.consecutiveFailures());
        out.instant(state.failureRunStartedAt());
        out.count(state.recentFailureTimes().size());
        for (Instant time : state.recentFailureTimes()) {
            out.instant(time);
        }
        out.varint(state.consecutiveSuccesses());
        out.instant(state.healthySince());
        out.varint(state.episode());
        out.varint(state.restartAttempts());
        PendingRestart pending = state.pending();
        // 2 = held by the brake; states written before the brake read as 1 (not held).
        out.rawByte(pending == null ? 0 : pending.held() ? 2 : 1);
        if (pending != null) {
            out.string(pending.commandId());
            out.varint(pending.episode());
            out.varint(pending.attempt());
            out.instant(pending.issuedAt());
            out.instant(pending.notBefore());
            out.instant(pending.expiresAt());
            out.varint(pending.stopTimeoutSeconds());
        }
        out.instant(state.graceUntil());
        out.rawByte((state.paused() ? PAUSED : 0) | (state.stale() ? STALE : 0) | (state.unmanaged() ? UNMANAGED : 0));
        out.instant(state.lastProbeTime());
        out.enumName(state.lastCheckStatus());
        out.strings(state.recentCheckIds());
        out.strings(state.recentControlIds());
        out.enumName(state.lastErrorCategory());
        out.string(state.lastErrorMessage());
        out.count(state.activeAlerts().size());
        for (ActiveAlert alert : state.activeAlerts()) {
            out.enumName(alert.kind());
            out.string(alert.hostId());
            out.instant(alert.startsAt());
            out.string(alert.summary());
            out.string(alert.description());
        }
        out.string(state.invalidOverrides());
        out.varint(state.restartsReported());
        IdConflict conflict = state.conflict();
        out.rawByte(conflict == null ? 0 : 1);
        if (conflict != null) {
            out.string(conflict.hostId());
            out.string(conflict.containerId());
            out.string(conflict.containerName());
            out.instant(conflict.since());
            out.instant(conflict.lastSeenAt());
        }
        return out.toByteArray();
    }

    /**
     * Reads a stored state; throws {@link IllegalArgumentException} for bytes that are not a session state,
     * including those of a format version this processor does not know (written by a newer one).
     */
    public SessionState decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("Stored bytes are not a session state: empty");
        }
        if (bytes[0] == LEGACY_JSON) {
            return decodeLegacyJson(bytes);
        }
        int version = bytes[0];
        if (version < VERSION_1 || version > VERSION) {
            throw new IllegalArgumentException("Stored bytes are not a session state this processor can read: format version "
                    + (bytes[0] & 0xFF) + ", known " + VERSION_1 + " to " + VERSION + " (binary) and JSON");
        }
        try {
            return decodeBinary(new In(bytes, 1), version);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Stored bytes are not a session state: corrupt format version "
                    + version + " (" + bytes.length + " bytes)", e);
        }
    }

    private static SessionState decodeBinary(In in, int version) {
        String sessionId = in.string();
        String hostId = in.string();
        String containerId = in.string();
        String containerName = in.string();
        HealthStatus status = in.enumValue(HealthStatus.class);
        HealthStatus previousStatus = in.enumValue(HealthStatus.class);
        String reason = in.string();
        Instant lastTransitionAt = in.instant();
        int consecutiveFailures = in.varint();
        Instant failureRunStartedAt = in.instant();
        int failureTimes = in.count();
        List<Instant> recentFailureTimes = new ArrayList<>(failureTimes);
        for (int i = 0; i < failureTimes; i++) {
            recentFailureTimes.add(in.instant());
        }
        int consecutiveSuccesses = in.varint();
        Instant healthySince = in.instant();
        int episode = in.varint();
        int restartAttempts = in.varint();
        int pendingTag = in.rawByte();
        PendingRestart pending = pendingTag == 0 ? null : new PendingRestart(in.string(), in.varint(), in.varint(),
                in.instant(), in.instant(), in.instant(), in.varint(), pendingTag == 2);
        Instant graceUntil = in.instant();
        int flags = in.rawByte();
        Instant lastProbeTime = in.instant();
        HealthStatus lastCheckStatus = in.enumValue(HealthStatus.class);
        List<String> recentCheckIds = in.strings();
        List<String> recentControlIds = in.strings();
        ErrorCategory lastErrorCategory = in.enumValue(ErrorCategory.class);
        String lastErrorMessage = in.string();
        int alerts = in.count();
        List<ActiveAlert> activeAlerts = new ArrayList<>(alerts);
        for (int i = 0; i < alerts; i++) {
            activeAlerts.add(new ActiveAlert(in.enumValue(AlertKind.class), in.string(), in.instant(), in.string(),
                    in.string()));
        }
        String invalidOverrides = version >= VERSION_2 ? in.string() : null;
        int restartsReported;
        IdConflict conflict = null;
        if (version < VERSION) {
            restartsReported = legacyRestartsReported(restartAttempts, pending);
        } else {
            restartsReported = in.varint();
            if (in.rawByte() != 0) {
                conflict = new IdConflict(in.string(), in.string(), in.string(), in.instant(), in.instant());
            }
        }
        in.expectEnd();
        return new SessionState(sessionId, hostId, containerId, containerName, status, previousStatus, reason,
                lastTransitionAt, consecutiveFailures, failureRunStartedAt, recentFailureTimes, consecutiveSuccesses,
                healthySince, episode, restartAttempts, pending, graceUntil, (flags & PAUSED) != 0,
                (flags & STALE) != 0, lastProbeTime, lastCheckStatus, recentCheckIds, recentControlIds,
                lastErrorCategory, lastErrorMessage, activeAlerts, (flags & UNMANAGED) != 0, invalidOverrides,
                restartsReported, conflict);
    }

    /**
     * Formats before version 3 counted every issued attempt toward the give-up: keep that budget for a
     * state written then (minus a command still in flight, whose answer will count), so an upgrade never
     * grants a session more restarts than it was promised.
     */
    static int legacyRestartsReported(int restartAttempts, PendingRestart pending) {
        return Math.max(0, restartAttempts - (pending == null ? 0 : 1));
    }

    private SessionState decodeLegacyJson(byte[] bytes) {
        try {
            SessionState state = legacyJson.readValue(bytes);
            return state.toBuilder()
                    .restartsReported(legacyRestartsReported(state.restartAttempts(), state.pending())).build();
        } catch (IOException e) {
            throw new IllegalArgumentException("Stored bytes are not a session state (legacy JSON)", e);
        }
    }

    /** A growing byte buffer with the few primitives of the format; one per encode, so no sharing. */
    private static final class Out {
        private byte[] buf;
        private int size;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        void rawByte(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        /** Unsigned varint, for lengths and counts. */
        void count(int n) {
            long v = n & 0xFFFFFFFFL;
            ensure(5);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        void varint(int n) {
            count((n << 1) ^ (n >> 31));
        }

        void varlong(long n) {
            long v = (n << 1) ^ (n >> 63);
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[size++] = (byte) v;
        }

        void string(String s) {
            if (s == null) {
                count(0);
                return;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            count(utf8.length + 1);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buf, size, utf8.length);
            size += utf8.length;
        }

        void strings(List<String> list) {
            count(list.size());
            for (String s : list) {
                string(s);
            }
        }

        void enumName(Enum<?> value) {
            string(value == null ? null : value.name());
        }

        void instant(Instant t) {
            if (t == null) {
                rawByte(NULL_INSTANT);
            } else if (t.getNano() % 1_000_000 == 0 && Math.abs(t.getEpochSecond()) < MAX_MILLIS_SECONDS) {
                rawByte(MILLIS_INSTANT);
                varlong(t.getEpochSecond() * 1000 + t.getNano() / 1_000_000);
            } else {
                rawByte(NANOS_INSTANT);
                varlong(t.getEpochSecond());
                varint(t.getNano());
            }
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** Reads what {@link Out} wrote; any overrun or bad value throws, and decode reports it as corrupt. */
    private static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        int rawByte() {
            if (pos >= buf.length) {
                throw new IllegalStateException("truncated at byte " + pos);
            }
            return buf[pos++] & 0xFF;
        }

        int count() {
            long v = varlongRaw();
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new IllegalStateException("count out of range: " + v);
            }
            return (int) v;
        }

        int varint() {
            long v = varlongRaw();
            return (int) ((v >>> 1) ^ -(v & 1));
        }

        long varlong() {
            long v = varlongRaw();
            return (v >>> 1) ^ -(v & 1);
        }

        private long varlongRaw() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = rawByte();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalStateException("varint longer than 10 bytes at byte " + pos);
        }

        String string() {
            int n = count();
            if (n == 0) {
                return null;
            }
            int length = n - 1;
            if (length > buf.length - pos) {
                throw new IllegalStateException("string of " + length + " bytes overruns at byte " + pos);
            }
            String s = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        List<String> strings() {
            int n = count();
            List<String> list = new ArrayList<>(Math.min(n, 64));
            for (int i = 0; i < n; i++) {
                list.add(string());
            }
            return list;
        }

        <E extends Enum<E>> E enumValue(Class<E> type) {
            String name = string();
            return name == null ? null : Enum.valueOf(type, name);
        }

        Instant instant() {
            int kind = rawByte();
            return switch (kind) {
                case NULL_INSTANT -> null;
                case MILLIS_INSTANT -> Instant.ofEpochMilli(varlong());
                case NANOS_INSTANT -> Instant.ofEpochSecond(varlong(), varint());
                default -> throw new IllegalStateException("unknown instant kind " + kind + " at byte " + (pos - 1));
            };
        }

        void expectEnd() {
            if (pos != buf.length) {
                throw new IllegalStateException((buf.length - pos) + " bytes left after the state");
            }
        }
    }
}

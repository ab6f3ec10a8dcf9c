package io.fleethealth.processor.brake;

import java.util.Objects;

/**
 * A group of sessions whose failures may share one cause: the sessions of one host, of one image (across
 * hosts), or the whole fleet.
 *
 * @param kind what the sessions share
 * @param name the host id or the image; empty for the fleet
 */
public record GroupKey(Kind kind, String name) implements Comparable<GroupKey> {

    /** In the order ties are broken when several groups cross at once: the narrowest explanation first. */
    public enum Kind {
        IMAGE, HOST, FLEET
    }

    public GroupKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (kind == Kind.FLEET ? !name.isEmpty() : name.isBlank()) {
            throw new IllegalArgumentException("group " + kind + " with name '" + name + "'");
        }
    }

    public static GroupKey host(String hostId) {
        return new GroupKey(Kind.HOST, hostId);
    }

    public static GroupKey image(String image) {
        return new GroupKey(Kind.IMAGE, image);
    }

    public static GroupKey fleet() {
        return new GroupKey(Kind.FLEET, "");
    }

    /** The text form used in ids, alerts and the release route: {@code host:h1}, {@code image:web:2}, {@code fleet}. */
    public String id() {
        return kind == Kind.FLEET ? "fleet" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
    }

    /** Reads {@link #id()} back; an unknown form is an {@link IllegalArgumentException}. */
    public static GroupKey parse(String id) {
        if (id.equals("fleet")) {
            return fleet();
        }
        int colon = id.indexOf(':');
        if (colon > 0 && colon < id.length() - 1) {
            String kind = id.substring(0, colon);
            String name = id.substring(colon + 1);
            if (kind.equals("host")) {
                return host(name);
            }
            if (kind.equals("image")) {
                return image(name);
            }
        }
        throw new IllegalArgumentException("a group is 'fleet', 'host:<host id>' or 'image:<image>', not '" + id + "'");
    }

    @Override
    public int compareTo(GroupKey other) {
        int byKind = kind.compareTo(other.kind);
        return byKind != 0 ? byKind : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return id();
    }
}

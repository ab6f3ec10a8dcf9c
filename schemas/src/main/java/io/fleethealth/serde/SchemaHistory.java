package io.fleethealth.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every released version of every event schema, kept as standalone documents on the class path at
 * {@code schema-history/<RecordName>/v<N>.avsc} (N = 1, 2, ... without gaps). A release that changes a
 * schema adds the next version; the compatibility test then holds the current schema to every one of them,
 * in both directions, because old and new agents and processors share the topics during a rollout.
 */
public final class SchemaHistory {

    private static final String ROOT = "/schema-history/";

    private SchemaHistory() {
    }

    /** The released versions of the schema of {@code type}, oldest first; never empty. */
    public static List<Schema> releasedVersions(Class<? extends SpecificRecord> type) {
        return releasedVersions(SpecificData.get().getSchema(type).getName());
    }

    /** The released versions of the record named {@code recordName} (simple name), oldest first; never empty. */
    public static List<Schema> releasedVersions(String recordName) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = ROOT + recordName + "/v" + version + ".avsc";
            try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
                if (in == null) {
                    break;
                }
                versions.add(new Schema.Parser().parse(in)); // a fresh parser: each version is self-contained
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + resource, e);
            }
        }
        if (versions.isEmpty()) {
            throw new IllegalStateException("No released version of " + recordName + " under " + ROOT + recordName
                    + "/: keep v1.avsc there");
        }
        return List.copyOf(versions);
    }
}

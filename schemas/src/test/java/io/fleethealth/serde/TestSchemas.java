package io.fleethealth.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/** Loads standalone schema documents from the test class path. */
final class TestSchemas {

    private TestSchemas() {
    }

    static Schema load(String resource) {
        try (InputStream in = TestSchemas.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource " + resource);
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

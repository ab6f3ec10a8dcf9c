package io.fleethealth.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.events.ControlAction;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.SessionControl;
import io.fleethealth.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventSerdesTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final EventSerdes serdes = new EventSerdes(registry);

    // ---- wire format -------------------------------------------------------------------------------

    @Test
    void shouldWriteMagicByteThenBigEndianSchemaIdThenTheAvroBinaryOfTheValue() throws IOException {
        SchemaRegistryClient fixedId = new SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                return 0x01020304;
            }

            @Override
            public Schema schemaById(int id) {
                throw new AssertionError("a serializer never looks schemas up");
            }
        };
        HealthCheckResult check = SampleEvents.healthCheck();

        byte[] bytes = new EventSerdes(fixedId).valueSerializer(Topics.HEALTH_CHECKS).serialize("fleet.health.checks", check);

        assertThat(bytes[0]).isZero();
        assertThat(Arrays.copyOfRange(bytes, 1, 5)).containsExactly(1, 2, 3, 4);
        SpecificDatumReader<HealthCheckResult> plainAvro = new SpecificDatumReader<>(HealthCheckResult.class);
        var decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
        assertThat(plainAvro.read(null, decoder)).isEqualTo(check);
        assertThat(decoder.isEnd()).as("payload is exactly one record").isTrue();
    }

    @Test
    void shouldRegisterTheWriterSchemaUnderTheTopicsValueSubject() {
        byte[] bytes = serdes.valueSerializer(Topics.SESSION_STATUS).serialize("fleet.session.status",
                SampleEvents.sessionStatus());

        assertThat(registry.subjects()).containsExactly("fleet.session.status-value");
        int id = registry.versions("fleet.session.status-value").get(0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(registry.schemaById(id).getFullName()).isEqualTo("io.fleethealth.events.SessionStatus");
    }

    @Test
    void shouldRegisterUnderTheDescriptorsSubjectWhenKafkaStreamsPassesAnInternalTopicName() {
        serdes.valueSerializer(Topics.SESSION_STATUS)
                .serialize("health-processor-session-store-changelog", SampleEvents.sessionStatus());

        assertThat(registry.subjects()).containsExactly("fleet.session.status-value");
    }

    // ---- round trips -------------------------------------------------------------------------------

    static Stream<SampleEvents.TopicValue<?>> everyEventType() {
        return SampleEvents.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEventType")
    <T extends SpecificRecord> void shouldReadBackEveryEventTypeUnchanged(SampleEvents.TopicValue<T> sample) {
        Serde<T> serde = serdes.valueSerde(sample.topic());
        String topic = sample.topic().name();

        byte[] bytes = serde.serializer().serialize(topic, sample.value());
        T back = serde.deserializer().deserialize(topic, bytes);

        assertThat(back).isEqualTo(sample.value()).isInstanceOf(sample.topic().valueType());
    }

    @Test
    void shouldCoverEveryAvroTopicOfTheCatalogueInTheRoundTrip() {
        List<String> sampled = SampleEvents.all().stream().map(s -> s.topic().name()).toList();
        List<String> avroTopics = Topics.ALL.stream()
                .filter(t -> SpecificRecord.class.isAssignableFrom(t.valueType())).map(t -> t.name()).toList();

        assertThat(sampled).hasSize(10).containsExactlyInAnyOrderElementsOf(avroTopics);
    }

    @Test
    void shouldKeepTombstonesAsNull() {
        assertThat(serdes.valueSerializer(Topics.SESSION_STATUS).serialize("fleet.session.status", null)).isNull();
        assertThat(serdes.valueDeserializer(Topics.SESSION_STATUS).deserialize("fleet.session.status", null)).isNull();
        assertThat(registry.subjects()).as("a tombstone registers nothing").isEmpty();
    }

    // ---- caching -----------------------------------------------------------------------------------

    @Test
    void shouldAskTheRegistryOnceForManyRecords() {
        CountingSchemaRegistryClient counting = new CountingSchemaRegistryClient(registry);
        EventSerdes writerSide = new EventSerdes(counting);
        EventSerdes readerSide = new EventSerdes(counting);
        List<byte[]> written = new ArrayList<>();

        for (int i = 0; i < 1_000; i++) {
            HealthCheckResult check = SampleEvents.healthCheck();
            check.setSequence(i);
            written.add(writerSide.valueSerializer(Topics.HEALTH_CHECKS).serialize("fleet.health.checks", check));
        }
        List<Long> sequences = written.stream()
                .map(b -> readerSide.valueDeserializer(Topics.HEALTH_CHECKS).deserialize("fleet.health.checks", b))
                .map(HealthCheckResult::getSequence).toList();

        assertThat(sequences).hasSize(1_000).startsWith(0L, 1L, 2L).endsWith(999L);
        assertThat(counting.registerCalls()).isEqualTo(1);
        assertThat(counting.lookupCalls()).isEqualTo(1);
    }

    @Test
    void shouldHandOutOneSerializerAndDeserializerPerTopic() {
        assertThat(serdes.valueSerializer(Topics.ALERTS)).isSameAs(serdes.valueSerializer(Topics.ALERTS));
        assertThat(serdes.valueDeserializer(Topics.ALERTS)).isSameAs(serdes.valueDeserializer(Topics.ALERTS));
    }

    @Test
    void shouldSerializeAndDeserializeFromManyThreadsAtOnce() throws Exception {
        EventSerdes shared = new EventSerdes(registry);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                long base = thread * 10_000L;
                results.add(pool.submit(() -> {
                    List<Long> seen = new ArrayList<>();
                    for (long i = base; i < base + 500; i++) {
                        HealthCheckResult check = SampleEvents.healthCheck();
                        check.setSequence(i);
                        byte[] bytes = shared.valueSerializer(Topics.HEALTH_CHECKS).serialize("t", check);
                        seen.add(shared.valueDeserializer(Topics.HEALTH_CHECKS).deserialize("t", bytes).getSequence());
                    }
                    return seen;
                }));
            }
            for (int thread = 0; thread < 8; thread++) {
                long base = thread * 10_000L;
                assertThat(results.get(thread).get()).hasSize(500).first().isEqualTo(base);
                assertThat(results.get(thread).get()).last().isEqualTo(base + 499);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(registry.versions("fleet.health.checks-value")).hasSize(1);
    }

    // ---- schema evolution through the serde ----------------------------------------------------------

    @Test
    void shouldFillDefaultsWhenAnOlderWriterLackedAField() throws IOException {
        Schema older = TestSchemas.load("evolution/HealthCheckResult-before-agent-version.avsc");
        assertThat(older.getField("agentVersion")).isNull();
        HealthCheckResult current = SampleEvents.healthCheck();
        GenericRecord oldRecord = asGeneric(current, older);
        byte[] bytes = frame(registry.register("fleet.health.checks-value", older), older, oldRecord);

        HealthCheckResult read = serdes.valueDeserializer(Topics.HEALTH_CHECKS).deserialize("fleet.health.checks", bytes);

        assertThat(read.getAgentVersion()).isEqualTo("unknown");
        assertThat(read.getSequence()).isZero();
        assertThat(read.getProbeTime()).isEqualTo(current.getProbeTime());
        assertThat(read.getErrorCategory()).isEqualTo(current.getErrorCategory());
        assertThat(read.getMetadata()).isEqualTo(current.getMetadata());
        assertThat(read.getCheckId()).isEqualTo(current.getCheckId());
    }

    @Test
    void shouldReadANewerWritersUnknownEnumSymbolAsTheEnumDefaultAndSkipItsNewField() throws IOException {
        Schema newer = TestSchemas.load("evolution/SessionControl-with-drain.avsc");
        GenericRecord drain = asGeneric(SampleEvents.sessionControl(), newer);
        drain.put("action", new GenericData.EnumSymbol(newer.getField("action").schema(), "DRAIN"));
        drain.put("ticket", "CHG-42");
        byte[] bytes = frame(registry.register("fleet.session.control-value", newer), newer, drain);

        SessionControl read = serdes.valueDeserializer(Topics.SESSION_CONTROL).deserialize("fleet.session.control", bytes);

        assertThat(read.getAction()).isEqualTo(ControlAction.UNRECOGNIZED);
        assertThat(read.getControlId()).isEqualTo("ctl-1");
        assertThat(read.getRequestedAt()).isEqualTo(SampleEvents.T0);
    }

    // ---- errors --------------------------------------------------------------------------------------

    @Test
    void shouldRejectAValueWithAnotherMagicByteNamingTheTopic() {
        byte[] bytes = validHealthCheckBytes();
        bytes[0] = 1;

        assertThatThrownBy(() -> deserializeHealthCheck(bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic fleet.health.checks")
                .hasMessageContaining("unknown magic byte 0x01");
    }

    @Test
    void shouldRejectAValueTooShortForTheHeader() {
        assertThatThrownBy(() -> deserializeHealthCheck(new byte[] {0, 0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic fleet.health.checks")
                .hasMessageContaining("3 bytes is too short for the Confluent wire format");
    }

    @Test
    void shouldRejectAValueWhoseSchemaIdTheRegistryDoesNotKnow() {
        byte[] bytes = validHealthCheckBytes();
        ByteBuffer.wrap(bytes).putInt(1, 999);

        assertThatThrownBy(() -> deserializeHealthCheck(bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic fleet.health.checks")
                .hasMessageContaining("writer schema id 999 cannot be fetched")
                .hasCauseInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void shouldRejectACorruptPayload() {
        byte[] valid = validHealthCheckBytes();
        byte[] truncated = Arrays.copyOf(valid, valid.length / 2);

        assertThatThrownBy(() -> deserializeHealthCheck(truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic fleet.health.checks")
                .hasMessageContaining("corrupt Avro payload for writer schema id 1");
    }

    @Test
    void shouldRejectAPayloadWithBytesLeftOverAfterTheRecord() {
        byte[] valid = validHealthCheckBytes();
        byte[] padded = Arrays.copyOf(valid, valid.length + 3);

        assertThatThrownBy(() -> deserializeHealthCheck(padded))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("bytes are left over after the record");
    }

    @Test
    void shouldRejectAWriterSchemaThatCannotBeResolvedToTheClass() throws IOException {
        Schema foreign = SchemaBuilderHelper.recordNamed("io.fleethealth.events.HealthCheckResult", "unrelated");
        GenericRecord record = new GenericRecordBuilder(foreign).set("unrelated", "x").build();
        byte[] bytes = frame(registry.register("other-value", foreign), foreign, record);

        assertThatThrownBy(() -> deserializeHealthCheck(bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot be read as io.fleethealth.events.HealthCheckResult")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT");
    }

    @Test
    void shouldLetARegistryOutageThroughAsRetriableInsteadOfCallingTheRecordPoison() {
        SchemaRegistryClient down = new SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                throw outage();
            }

            @Override
            public Schema schemaById(int id) {
                throw outage();
            }

            private SchemaRegistryException outage() {
                return new SchemaRegistryException("registry unreachable", SchemaRegistryException.NONE,
                        SchemaRegistryException.NONE, null, URI.create("http://127.0.0.1:1"), null);
            }
        };
        EventSerdes offline = new EventSerdes(down);
        byte[] bytes = validHealthCheckBytes();

        assertThatThrownBy(() -> offline.valueDeserializer(Topics.HEALTH_CHECKS).deserialize("fleet.health.checks", bytes))
                .isInstanceOf(SchemaRegistryException.class)
                .isNotInstanceOf(SerializationException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).isRetriable()).isTrue());
        assertThatThrownBy(() -> offline.valueSerializer(Topics.HEALTH_CHECKS)
                .serialize("fleet.health.checks", SampleEvents.healthCheck()))
                .isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void shouldTurnARegistryRefusalIntoASerializationErrorNamingTheTopic() {
        SchemaRegistryClient refusing = new SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                throw new SchemaRegistryException("Schema registry refused: HTTP 409. The schema is incompatible",
                        409, 409, subject, URI.create("http://127.0.0.1:1"), null);
            }

            @Override
            public Schema schemaById(int id) {
                throw new AssertionError();
            }
        };

        assertThatThrownBy(() -> new EventSerdes(refusing).valueSerializer(Topics.HEALTH_CHECKS)
                .serialize("fleet.health.checks", SampleEvents.healthCheck()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic fleet.health.checks")
                .hasMessageContaining("The schema is incompatible")
                .hasCauseInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void shouldRejectANullInARequiredFieldNamingTheTopic() {
        HealthCheckResult broken = SampleEvents.healthCheck();
        broken.setHostId(null);

        assertThatThrownBy(() -> serdes.valueSerializer(Topics.HEALTH_CHECKS).serialize("fleet.health.checks", broken))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot serialize a HealthCheckResult for topic fleet.health.checks")
                .hasMessageContaining("hostId");
    }

    @Test
    void shouldFailFastWithTheFixWhenAvroDoesNotTrustTheEventClasses() {
        ClassSecurityValidator.ClassSecurityPredicate trusted = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.DEFAULT_TRUSTED_CLASSES);
        try {
            assertThatThrownBy(() -> new EventSerdes(registry).valueDeserializer(Topics.HEALTH_CHECKS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.fleethealth.events");
        } finally {
            ClassSecurityValidator.setGlobal(trusted);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private byte[] validHealthCheckBytes() {
        return serdes.valueSerializer(Topics.HEALTH_CHECKS).serialize("fleet.health.checks", SampleEvents.healthCheck());
    }

    private HealthCheckResult deserializeHealthCheck(byte[] bytes) {
        return serdes.valueDeserializer(Topics.HEALTH_CHECKS).deserialize("fleet.health.checks", bytes);
    }

    /** Copies the fields that {@code schema} has from a generated record, as a generic record of that schema. */
    private static GenericRecord asGeneric(SpecificRecord value, Schema schema) {
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            Schema.Field own = value.getSchema().getField(field.name());
            if (own != null) {
                record.put(field.name(), toGeneric(value.get(own.pos()), field.schema()));
            }
        }
        return record;
    }

    private static Object toGeneric(Object value, Schema schema) {
        if (value instanceof Enum<?> symbol) {
            Schema enumSchema = schema.getType() == Schema.Type.UNION
                    ? schema.getTypes().stream().filter(s -> s.getType() == Schema.Type.ENUM).findFirst().orElseThrow()
                    : schema;
            return new GenericData.EnumSymbol(enumSchema, symbol.name());
        }
        if (value instanceof java.time.Instant instant) {
            return instant.toEpochMilli();
        }
        return value;
    }

    private static byte[] frame(int schemaId, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** A record schema with one string field, for writers the reader cannot resolve. */
    private static final class SchemaBuilderHelper {
        static Schema recordNamed(String fullName, String field) {
            return org.apache.avro.SchemaBuilder.record(fullName).fields().requiredString(field).endRecord();
        }
    }
}

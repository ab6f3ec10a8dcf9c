package io.fleethealth.serde;

/**
 * The Confluent wire format of a value: magic byte 0, the writer schema's registry id as a 4-byte
 * big-endian int, then the Avro binary encoding of the value. Other Kafka tools (kcat, confluent-kafka,
 * Kafka UI) read it as is.
 */
final class WireFormat {

    static final byte MAGIC_BYTE = 0;
    static final int ID_SIZE = Integer.BYTES;
    static final int HEADER_SIZE = 1 + ID_SIZE;

    private WireFormat() {
    }

    static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    static int readSchemaId(byte[] source) {
        return ((source[1] & 0xff) << 24) | ((source[2] & 0xff) << 16) | ((source[3] & 0xff) << 8) | (source[4] & 0xff);
    }
}

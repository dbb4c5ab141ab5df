package dev.sluice.schemas.serde;

/**
 * Confluent's framing of Avro records on Kafka: magic byte {@code 0}, the writer schema's registry
 * id as 4 bytes big-endian, then the Avro binary encoding.
 *
 * <p>Sluice writes and reads this framing so that its topics interoperate with Confluent
 * serializers, kcat and every tool that knows Schema Registry.
 */
public final class ConfluentWireFormat {

    /** First byte of every framed payload. */
    public static final byte MAGIC_BYTE = 0;

    /** Bytes before the Avro data: magic byte and schema id. */
    public static final int HEADER_SIZE = 5;

    private ConfluentWireFormat() {}

    /**
     * The schema id in a framed payload.
     *
     * @throws WireFormatException if the payload is shorter than the header or does not start with
     *     the magic byte
     * @throws NullPointerException for a null payload
     */
    public static int schemaIdOf(byte[] payload) {
        checkHeader(payload);
        return ((payload[1] & 0xff) << 24)
                | ((payload[2] & 0xff) << 16)
                | ((payload[3] & 0xff) << 8)
                | (payload[4] & 0xff);
    }

    /** Writes the 5-byte header for {@code schemaId}. */
    static byte[] header(int schemaId) {
        return new byte[] {
            MAGIC_BYTE,
            (byte) (schemaId >>> 24),
            (byte) (schemaId >>> 16),
            (byte) (schemaId >>> 8),
            (byte) schemaId
        };
    }

    static void checkHeader(byte[] payload) {
        if (payload.length < HEADER_SIZE) {
            throw new WireFormatException(
                    "payload too short ("
                            + payload.length
                            + " bytes): Confluent wire format needs at least "
                            + HEADER_SIZE
                            + " (magic byte 0 and a 4-byte schema id)");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new WireFormatException(
                    String.format(
                            "not Confluent wire format: expected magic byte 0, got 0x%02x",
                            payload[0] & 0xff));
        }
    }
}

package dev.sluice.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Encodes {@link GenericRecord}s of one schema into Confluent wire format.
 *
 * <p>Built for a schema already registered (the caller registers once, e.g. in {@code open()}), so
 * encoding never touches the registry. Reuses its writer, encoder and buffer across records: not
 * thread-safe, use one per operator instance.
 */
public final class ConfluentAvroEncoder {

    private final int schemaId;
    private final Schema schema;
    private final byte[] header;
    private final GenericDatumWriter<GenericRecord> writer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;

    /**
     * @param schemaId the registry id of {@code schema}
     * @param schema the schema of every record this encoder gets
     */
    public ConfluentAvroEncoder(int schemaId, Schema schema) {
        if (schemaId < 0) {
            throw new IllegalArgumentException("schema id must be >= 0, got " + schemaId);
        }
        this.schemaId = schemaId;
        this.schema = Objects.requireNonNull(schema, "schema");
        this.header = ConfluentWireFormat.header(schemaId);
        this.writer = new GenericDatumWriter<>(schema);
    }

    /** The schema id written into every payload. */
    public int schemaId() {
        return schemaId;
    }

    /** The schema records are written with. */
    public Schema schema() {
        return schema;
    }

    /**
     * Encodes {@code record}; null stays null (a tombstone).
     *
     * @throws IllegalArgumentException if the record has another schema or does not fit its schema
     *     (e.g. null in a non-nullable field)
     */
    public byte[] encode(GenericRecord record) {
        if (record == null) {
            return null;
        }
        Schema recordSchema = record.getSchema();
        if (recordSchema != schema && !schema.equals(recordSchema)) {
            throw new IllegalArgumentException(
                    "record of schema "
                            + recordSchema.getFullName()
                            + " does not match the encoder's schema "
                            + schema.getFullName()
                            + " (id "
                            + schemaId
                            + "): build records with the registered schema");
        }
        buffer.reset();
        buffer.write(header, 0, header.length);
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            encoder = null; // may hold part of the failed record
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            encoder = null; // may hold part of the failed record
            throw new IllegalArgumentException(
                    "cannot encode record with schema "
                            + schema.getFullName()
                            + " (id "
                            + schemaId
                            + "): "
                            + e.getMessage(),
                    e);
        }
        return buffer.toByteArray();
    }
}

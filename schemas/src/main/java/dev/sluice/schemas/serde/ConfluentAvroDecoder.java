package dev.sluice.schemas.serde;

import dev.sluice.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes Confluent wire format payloads into {@link GenericRecord}s of one reader schema,
 * resolving each payload's writer schema by its id.
 *
 * <p>The writer schema of an id is looked up once, on first sight of the id, and a resolving reader
 * is cached for it, so decoding costs no registry calls per record. Every problem with a payload
 * itself (framing, unknown id, Avro that does not decode, a writer schema the reader schema cannot
 * read) is a {@link WireFormatException}, for the caller to dead-letter; failures of the lookup
 * other than "not found" (registry unreachable) propagate unchanged. Reuses its decoder: not
 * thread-safe, use one per operator instance.
 */
public final class ConfluentAvroDecoder {

    /** A resolving reader for one writer id, or why that id cannot be read. */
    private static final class ReaderEntry {
        final GenericDatumReader<Object> reader;
        final String error;

        ReaderEntry(GenericDatumReader<Object> reader, String error) {
            this.reader = reader;
            this.error = error;
        }
    }

    private final Schema readerSchema;
    private final Function<Integer, Schema> writerSchemaLookup;
    private final Map<Integer, ReaderEntry> readers = new HashMap<>();
    private BinaryDecoder decoder;

    /**
     * @param readerSchema the record schema records are returned in (writer schemas are resolved to
     *     it by Avro's rules), or null to return each record in its writer's schema
     * @param writerSchemaLookup writer schema by registry id, usually {@code client::getById};
     *     returns null or throws a 404 {@link SchemaRegistryException} for unknown ids
     */
    public ConfluentAvroDecoder(Schema readerSchema, Function<Integer, Schema> writerSchemaLookup) {
        if (readerSchema != null && readerSchema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException(
                    "reader schema must be a record schema, got " + readerSchema.getType());
        }
        this.readerSchema = readerSchema;
        this.writerSchemaLookup = Objects.requireNonNull(writerSchemaLookup, "writerSchemaLookup");
    }

    /** The reader schema, or null when records keep their writer's schema. */
    public Schema readerSchema() {
        return readerSchema;
    }

    /**
     * Decodes one payload; null stays null (a tombstone).
     *
     * @throws WireFormatException if the payload is not a decodable record
     */
    public GenericRecord decode(byte[] payload) {
        if (payload == null) {
            return null;
        }
        int id = ConfluentWireFormat.schemaIdOf(payload);
        ReaderEntry entry = readerFor(id);
        if (entry.error != null) {
            throw new WireFormatException(entry.error);
        }
        decoder =
                DecoderFactory.get()
                        .binaryDecoder(
                                payload,
                                ConfluentWireFormat.HEADER_SIZE,
                                payload.length - ConfluentWireFormat.HEADER_SIZE,
                                decoder);
        Object datum;
        try {
            datum = entry.reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new WireFormatException(
                        "corrupt Avro payload for schema id "
                                + id
                                + ": bytes left over after the record");
            }
        } catch (WireFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(
                    "corrupt Avro payload for schema id " + id + ": " + describe(e), e);
        }
        return (GenericRecord) datum;
    }

    private ReaderEntry readerFor(int id) {
        ReaderEntry entry = readers.get(id);
        if (entry != null) {
            return entry;
        }
        Schema writer;
        try {
            writer = writerSchemaLookup.apply(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new WireFormatException(
                        "unknown schema id " + id + " (" + e.getMessage() + ")", e);
            }
            throw e;
        }
        if (writer == null) {
            throw new WireFormatException("unknown schema id " + id);
        }
        entry = newEntry(id, writer);
        readers.put(id, entry);
        return entry;
    }

    private ReaderEntry newEntry(int id, Schema writer) {
        Schema reader = readerSchema != null ? readerSchema : writer;
        if (reader.getType() != Schema.Type.RECORD) {
            return new ReaderEntry(
                    null,
                    "schema id " + id + " is a " + writer.getType() + " schema, not a record");
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            String reasons =
                    compatibility.getResult().getIncompatibilities().stream()
                            .map(
                                    i ->
                                            i.getType()
                                                    + " at "
                                                    + i.getLocation()
                                                    + ": "
                                                    + i.getMessage())
                            .collect(Collectors.joining("; "));
            return new ReaderEntry(
                    null,
                    "schema id "
                            + id
                            + " ("
                            + writer.getFullName()
                            + ") cannot be read with reader schema "
                            + reader.getFullName()
                            + ": "
                            + reasons);
        }
        return new ReaderEntry(new GenericDatumReader<>(writer, reader), null);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isEmpty()
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }
}

package dev.sluice.connectors.sink;

import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes keys that Sluice made (CDC primary keys, aggregate keys): Confluent wire format, that is
 * magic byte 0, a 4-byte schema id, then the Avro binary of the stream's key schema. A tombstone
 * carries nothing else, so this is how a sink learns which row it deletes. Serializable: it holds
 * the schema as JSON and parses it on first use.
 */
public final class ConfluentKeyDecoder implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int HEADER = 5;

    private final String keySchemaJson;
    private transient GenericDatumReader<GenericRecord> reader;
    private transient BinaryDecoder decoder;

    public ConfluentKeyDecoder(Schema keySchema) {
        this.keySchemaJson = Objects.requireNonNull(keySchema, "keySchema").toString();
    }

    /**
     * The key as a record of the key schema.
     *
     * @throws IllegalArgumentException when the bytes are not a Confluent-framed key
     */
    public GenericRecord decode(byte[] key) {
        if (key == null) {
            throw new IllegalArgumentException("the record has no key, so no row to delete");
        }
        if (key.length < HEADER || key[0] != 0) {
            throw new IllegalArgumentException(
                    "the key is not in Confluent wire format (magic byte 0, 4-byte schema id,"
                            + " Avro binary); got "
                            + key.length
                            + " bytes");
        }
        if (reader == null) {
            reader = new GenericDatumReader<>(new Schema.Parser().parse(keySchemaJson));
        }
        decoder = DecoderFactory.get().binaryDecoder(key, HEADER, key.length - HEADER, decoder);
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "the key does not decode with the stream's key schema: " + e.getMessage(), e);
        }
    }
}

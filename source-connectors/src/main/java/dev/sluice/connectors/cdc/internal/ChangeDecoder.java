package dev.sluice.connectors.cdc.internal;

import dev.sluice.schemas.AvroSchemas;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.serde.ConfluentWireFormat;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The captured changes of one table as {@link SluiceRecord}s, for processors and sinks in the same
 * pipeline: the value as a record of the table's <em>planned</em> schema, the key bytes as on the
 * topic, the topic and the original bytes as the record's origin (so a dead letter can be
 * replayed). Changes of other tables are dropped.
 *
 * <p>Once the table's columns change, the capture writes a newer schema version (see {@link
 * ChangeEncoder}); the operators after this one were built for the planned schema, so such values
 * are decoded with their own version (fetched from the registry by id, once per id) and projected
 * onto the planned one by field name ({@link RecordProjection}): new columns are left out, dropped
 * ones are {@code null}. A value that the planned schema cannot represent (a dropped non-null
 * column, a {@code null} in a column planned as non-null, a number too wide) goes to the
 * dead-letter side output with the column named. The controller re-plans the pipeline when the
 * topic's schema changes, after which the planned schema is the new one.
 */
@Internal
public final class ChangeDecoder extends ProcessFunction<CapturedChange, SluiceRecord> {
    private static final long serialVersionUID = 1L;

    private final String nodeId;
    private final String topic;
    private final String schemaJson;
    private final int schemaId;
    private final String registryUrl;
    private transient Schema planned;
    private transient GenericDatumReader<GenericRecord> plannedReader;
    private transient Map<Integer, Reader> readers;
    private transient HttpSchemaRegistryClient registry;
    private transient BinaryDecoder decoder;
    private transient Counter deadLettered;

    /**
     * @param nodeId the source's id, which dead letters name
     * @param schemaJson the table's planned value schema
     * @param schemaId its registry id
     * @param registryUrl the schema registry, for values written with other versions; {@code null}
     *     when every value has the planned schema
     */
    public ChangeDecoder(
            String nodeId, String topic, String schemaJson, int schemaId, String registryUrl) {
        this.nodeId = nodeId;
        this.topic = topic;
        this.schemaJson = schemaJson;
        this.schemaId = schemaId;
        this.registryUrl = registryUrl;
    }

    @Override
    public void open(OpenContext openContext) {
        planned = AvroSchemas.parse(schemaJson);
        plannedReader = new GenericDatumReader<>(planned);
        readers = new HashMap<>();
        deadLettered = getRuntimeContext().getMetricGroup().counter("sluiceDeadLetters");
    }

    @Override
    public void processElement(CapturedChange change, Context ctx, Collector<SluiceRecord> out)
            throws Exception {
        if (!topic.equals(change.topic)) {
            return;
        }
        GenericRecord value = null;
        if (change.value != null) {
            int id = ConfluentWireFormat.schemaIdOf(change.value);
            if (id == schemaId) {
                value = plannedReader.read(null, decoder(change.value));
            } else {
                Reader reader = reader(id);
                GenericRecord written = reader.reader.read(null, decoder(change.value));
                try {
                    value = reader.projection.project(written);
                } catch (IllegalArgumentException e) {
                    deadLettered.inc();
                    ctx.output(DeadLetters.TAG, DeadLetter.of(record(change, null), nodeId, e));
                    return;
                }
            }
        }
        out.collect(record(change, value));
    }

    private static SluiceRecord record(CapturedChange change, GenericRecord value) {
        return SluiceRecord.of(
                change.key,
                value,
                change.timestamp,
                change.topic,
                0,
                -1L,
                change.key,
                change.value);
    }

    private BinaryDecoder decoder(byte[] bytes) {
        decoder =
                DecoderFactory.get()
                        .binaryDecoder(
                                bytes,
                                ConfluentWireFormat.HEADER_SIZE,
                                bytes.length - ConfluentWireFormat.HEADER_SIZE,
                                decoder);
        return decoder;
    }

    private Reader reader(int id) throws IOException {
        Reader reader = readers.get(id);
        if (reader == null) {
            if (registryUrl == null) {
                throw new IOException(
                        "a change of "
                                + topic
                                + " was written with schema id "
                                + id
                                + " instead of the planned "
                                + schemaId
                                + ", and no schema registry is known to read it");
            }
            if (registry == null) {
                registry = new HttpSchemaRegistryClient(registryUrl);
            }
            Schema writer = registry.getById(id);
            reader =
                    new Reader(
                            new GenericDatumReader<>(writer), RecordProjection.of(writer, planned));
            readers.put(id, reader);
        }
        return reader;
    }

    private static final class Reader {
        final GenericDatumReader<GenericRecord> reader;
        final RecordProjection projection;

        Reader(GenericDatumReader<GenericRecord> reader, RecordProjection projection) {
            this.reader = reader;
            this.projection = projection;
        }
    }
}

package dev.sluice.connectors.cdc.internal;

import dev.sluice.schemas.AvroSchemas;
import dev.sluice.schemas.serde.ConfluentWireFormat;
import dev.sluice.sdk.SluiceRecord;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The captured changes of one table as {@link SluiceRecord}s, for processors and sinks in the same
 * pipeline: the value decoded with the table's planned schema, the key bytes as on the topic, the
 * topic and the original bytes as the record's origin (so a dead letter can be replayed). Changes
 * of other tables are dropped.
 */
@Internal
public final class ChangeDecoder extends RichFlatMapFunction<CapturedChange, SluiceRecord> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final String schemaJson;
    private transient GenericDatumReader<GenericRecord> reader;
    private transient BinaryDecoder decoder;

    public ChangeDecoder(String topic, String schemaJson) {
        this.topic = topic;
        this.schemaJson = schemaJson;
    }

    @Override
    public void open(OpenContext openContext) {
        Schema schema = AvroSchemas.parse(schemaJson);
        reader = new GenericDatumReader<>(schema);
    }

    @Override
    public void flatMap(CapturedChange change, Collector<SluiceRecord> out) throws Exception {
        if (!topic.equals(change.topic)) {
            return;
        }
        GenericRecord value = null;
        if (change.value != null) {
            decoder =
                    DecoderFactory.get()
                            .binaryDecoder(
                                    change.value,
                                    ConfluentWireFormat.HEADER_SIZE,
                                    change.value.length - ConfluentWireFormat.HEADER_SIZE,
                                    decoder);
            value = reader.read(null, decoder);
        }
        out.collect(
                SluiceRecord.of(
                        change.key,
                        value,
                        change.timestamp,
                        change.topic,
                        0,
                        -1L,
                        change.key,
                        change.value));
    }
}

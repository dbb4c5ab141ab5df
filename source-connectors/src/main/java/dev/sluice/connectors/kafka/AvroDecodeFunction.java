package dev.sluice.connectors.kafka;

import dev.sluice.schemas.AvroSchemas;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.serde.ConfluentAvroDecoder;
import dev.sluice.schemas.serde.WireFormatException;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes Confluent-framed Avro values into the source's reader schema. Writer schemas are fetched
 * once per schema id and cached by the decoder, so the registry is not asked per record. A value
 * that is not Confluent framing, names an unknown schema id or is corrupt goes to the dead-letter
 * side output under the source's id; tombstones pass through. A registry that cannot be reached
 * fails the job (and Flink restarts it) rather than dead-lettering good records.
 */
final class AvroDecodeFunction extends ProcessFunction<SluiceRecord, SluiceRecord> {
    private static final long serialVersionUID = 1L;

    private final String nodeId;
    private final String registryUrl;
    private final String readerSchemaJson;

    private transient ConfluentAvroDecoder decoder;
    private transient Counter deadLettered;

    AvroDecodeFunction(String nodeId, String registryUrl, String readerSchemaJson) {
        this.nodeId = nodeId;
        this.registryUrl = registryUrl;
        this.readerSchemaJson = readerSchemaJson;
    }

    @Override
    public void open(OpenContext openContext) {
        HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(registryUrl);
        decoder = new ConfluentAvroDecoder(AvroSchemas.parse(readerSchemaJson), registry::getById);
        deadLettered = getRuntimeContext().getMetricGroup().counter("sluiceDeadLetters");
    }

    @Override
    public void processElement(SluiceRecord raw, Context ctx, Collector<SluiceRecord> out) {
        byte[] bytes = raw.sourceValue();
        if (bytes == null) {
            out.collect(raw);
            return;
        }
        SluiceRecord decoded;
        try {
            decoded = raw.withValue(decoder.decode(bytes));
        } catch (WireFormatException e) {
            // Only the record's own bytes are at fault here. Anything else (the registry
            // unreachable, ...) fails the job, which restarts and retries the record.
            deadLettered.inc();
            ctx.output(DeadLetters.TAG, DeadLetter.of(raw, nodeId, e));
            return;
        }
        out.collect(decoded);
    }
}

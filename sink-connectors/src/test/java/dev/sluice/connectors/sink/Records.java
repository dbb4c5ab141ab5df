package dev.sluice.connectors.sink;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Test records: Confluent-framed keys, and a deterministic, checkpointed source of a fixed list of
 * records (tombstones included) that emits a given number per checkpoint, so a restored job replays
 * exactly what its checkpoint had not yet covered.
 */
public final class Records {

    private Records() {}

    /** {@code key} in Confluent wire format with schema id {@code id}. */
    public static byte[] confluentKey(GenericRecord key, int id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        out.writeBytes(avro(key));
        return out.toByteArray();
    }

    static byte[] avro(GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, enc);
            enc.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A source of {@code records} (values of {@code schema}), {@code perCheckpoint} at a time. */
    public static DataGeneratorSource<SluiceRecord> source(
            Schema schema, List<SluiceRecord> records, int perCheckpoint) {
        return new DataGeneratorSource<>(
                new Generator(schema, records),
                records.size(),
                RateLimiterStrategy.perCheckpoint(perCheckpoint),
                new SluiceRecordTypeInfo(schema));
    }

    /** A source that emits {@code records} over and over (never ends), {@code perCheckpoint}. */
    public static DataGeneratorSource<SluiceRecord> endless(
            Schema schema, List<SluiceRecord> records, int perCheckpoint) {
        return new DataGeneratorSource<>(
                new Generator(schema, records),
                Long.MAX_VALUE,
                RateLimiterStrategy.perCheckpoint(perCheckpoint),
                new SluiceRecordTypeInfo(schema));
    }

    /** Serializable: the records travel as Avro bytes. */
    private static final class Generator implements GeneratorFunction<Long, SluiceRecord> {
        private static final long serialVersionUID = 1L;
        private final String schemaJson;
        private final List<byte[]> keys = new ArrayList<>();
        private final List<byte[]> values = new ArrayList<>();
        private transient GenericDatumReader<GenericRecord> reader;

        Generator(Schema schema, List<SluiceRecord> records) {
            this.schemaJson = schema.toString();
            for (SluiceRecord r : records) {
                keys.add(r.key());
                values.add(r.value() == null ? null : avro(r.value()));
            }
        }

        @Override
        public SluiceRecord map(Long index) throws Exception {
            if (reader == null) {
                reader = new GenericDatumReader<>(new Schema.Parser().parse(schemaJson));
            }
            int i = (int) (index % values.size());
            byte[] v = values.get(i);
            GenericRecord value =
                    v == null
                            ? null
                            : reader.read(null, DecoderFactory.get().binaryDecoder(v, null));
            return SluiceRecord.of(keys.get(i), value, index);
        }
    }
}

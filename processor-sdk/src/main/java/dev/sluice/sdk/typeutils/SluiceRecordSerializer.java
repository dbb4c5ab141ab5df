package dev.sluice.sdk.typeutils;

import dev.sluice.sdk.SluiceRecord;
import java.io.IOException;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.DataInputViewStream;
import org.apache.flink.api.java.typeutils.runtime.DataOutputViewStream;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes {@link SluiceRecord}s: a flag byte, the timestamp, key and origin bytes, then the
 * value as Avro binary with the stream's schema. Records are immutable, so copies are the record
 * itself. Not thread-safe (Flink duplicates serializers per thread).
 */
@Internal
public final class SluiceRecordSerializer extends TypeSerializer<SluiceRecord> {
    private static final long serialVersionUID = 1L;

    private static final int KEY = 1;
    private static final int VALUE = 1 << 1;
    private static final int SOURCE = 1 << 2;
    private static final int SOURCE_KEY = 1 << 3;
    private static final int SOURCE_KEY_IS_KEY = 1 << 4;
    private static final int SOURCE_VALUE = 1 << 5;
    private static final int REPLAYED = 1 << 6;

    private final String schemaJson;
    private transient Schema schema;
    private transient GenericDatumWriter<GenericRecord> writer;
    private transient GenericDatumReader<GenericRecord> reader;
    private transient BinaryEncoder encoder;
    private transient BinaryDecoder decoder;

    /** The last value schema seen equal to {@link #schema()} (an identity check per record). */
    private transient Schema conforming;

    public SluiceRecordSerializer(String schemaJson) {
        this.schemaJson = schemaJson;
    }

    String schemaJson() {
        return schemaJson;
    }

    private Schema schema() {
        if (schema == null) {
            schema = new Schema.Parser().parse(schemaJson);
        }
        return schema;
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<SluiceRecord> duplicate() {
        return new SluiceRecordSerializer(schemaJson);
    }

    @Override
    public SluiceRecord createInstance() {
        return null;
    }

    @Override
    public SluiceRecord copy(SluiceRecord from) {
        return from;
    }

    @Override
    public SluiceRecord copy(SluiceRecord from, SluiceRecord reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SluiceRecord record, DataOutputView target) throws IOException {
        int flags = 0;
        if (record.key() != null) {
            flags |= KEY;
        }
        if (record.value() != null) {
            flags |= VALUE;
        }
        if (record.sourceTopic() != null) {
            flags |= SOURCE;
        }
        if (record.sourceKey() != null) {
            flags |= record.sourceKey() == record.key() ? SOURCE_KEY_IS_KEY : SOURCE_KEY;
        }
        if (record.sourceValue() != null) {
            flags |= SOURCE_VALUE;
        }
        if (record.replays() > 0) {
            flags |= REPLAYED;
        }
        target.writeByte(flags);
        target.writeLong(record.timestamp());
        if ((flags & KEY) != 0) {
            writeBytes(record.key(), target);
        }
        if ((flags & SOURCE) != 0) {
            target.writeUTF(record.sourceTopic());
            target.writeInt(record.sourcePartition());
            target.writeLong(record.sourceOffset());
        }
        if ((flags & SOURCE_KEY) != 0) {
            writeBytes(record.sourceKey(), target);
        }
        if ((flags & SOURCE_VALUE) != 0) {
            writeBytes(record.sourceValue(), target);
        }
        if ((flags & REPLAYED) != 0) {
            target.writeInt(record.replays());
        }
        if ((flags & VALUE) != 0) {
            if (writer == null) {
                writer = new GenericDatumWriter<>(schema());
            }
            encoder =
                    EncoderFactory.get()
                            .directBinaryEncoder(new DataOutputViewStream(target), encoder);
            writer.write(conform(record.value()), encoder);
            encoder.flush();
        }
    }

    /**
     * The value in this serializer's schema. Values normally have it already; a value read under an
     * earlier schema (state migrated after a schema change: Flink reads with the old serializer and
     * writes with the new one) is copied by field name, absent fields taking their defaults.
     */
    private GenericRecord conform(GenericRecord value) {
        Schema target = schema();
        Schema actual = value.getSchema();
        if (actual == target || actual == conforming) {
            return value;
        }
        if (actual.equals(target)) {
            conforming = actual;
            return value;
        }
        org.apache.avro.generic.GenericData.Record copy =
                new org.apache.avro.generic.GenericData.Record(target);
        for (Schema.Field f : target.getFields()) {
            Schema.Field from = actual.getField(f.name());
            if (from != null) {
                copy.put(f.pos(), value.get(from.pos()));
            } else if (f.hasDefaultValue()) {
                copy.put(f.pos(), org.apache.avro.generic.GenericData.get().getDefaultValue(f));
            }
        }
        return copy;
    }

    @Override
    public SluiceRecord deserialize(DataInputView source) throws IOException {
        int flags = source.readUnsignedByte();
        long timestamp = source.readLong();
        byte[] key = (flags & KEY) != 0 ? readBytes(source) : null;
        String topic = null;
        int partition = -1;
        long offset = -1L;
        if ((flags & SOURCE) != 0) {
            topic = source.readUTF();
            partition = source.readInt();
            offset = source.readLong();
        }
        byte[] sourceKey =
                (flags & SOURCE_KEY) != 0
                        ? readBytes(source)
                        : (flags & SOURCE_KEY_IS_KEY) != 0 ? key : null;
        byte[] sourceValue = (flags & SOURCE_VALUE) != 0 ? readBytes(source) : null;
        int replays = (flags & REPLAYED) != 0 ? source.readInt() : 0;
        GenericRecord value = null;
        if ((flags & VALUE) != 0) {
            if (reader == null) {
                reader = new GenericDatumReader<>(schema());
            }
            decoder =
                    DecoderFactory.get()
                            .directBinaryDecoder(new DataInputViewStream(source), decoder);
            value = reader.read(null, decoder);
        }
        return SluiceRecord.of(
                key, value, timestamp, topic, partition, offset, sourceKey, sourceValue, replays);
    }

    @Override
    public SluiceRecord deserialize(SluiceRecord reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    private static void writeBytes(byte[] bytes, DataOutputView target) throws IOException {
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    private static byte[] readBytes(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SluiceRecordSerializer
                && ((SluiceRecordSerializer) o).schemaJson.equals(schemaJson);
    }

    @Override
    public int hashCode() {
        return schemaJson.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<SluiceRecord> snapshotConfiguration() {
        return new SluiceRecordSerializerSnapshot(schemaJson);
    }

    @Override
    public String toString() {
        return "SluiceRecordSerializer" + Arrays.asList(schema().getFullName());
    }
}

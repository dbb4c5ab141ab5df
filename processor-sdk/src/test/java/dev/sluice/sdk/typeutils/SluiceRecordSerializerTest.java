package dev.sluice.sdk.typeutils;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sdk.SluiceRecord;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SluiceRecordSerializerTest {
    private static final Schema V1 =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"name\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
    private static final Schema V2 =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"name\",\"type\":[\"null\",\"string\"],\"default\":null},"
                                    + "{\"name\":\"extra\",\"type\":\"int\",\"default\":7}]}");
    private static final Schema OTHER =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");

    private static GenericRecord value(long id, String name) {
        GenericRecord r = new GenericData.Record(V1);
        r.put("id", id);
        r.put("name", name);
        return r;
    }

    private static SluiceRecord roundTrip(TypeSerializer<SluiceRecord> s, SluiceRecord r)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(r, out);
        s.serialize(r, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        SluiceRecord first = s.deserialize(in);
        SluiceRecord second = s.deserialize(in);
        assertThat(second).isEqualTo(first);
        assertThat(in.available()).isZero();
        return first;
    }

    @Test
    void testRecordWithValueKeyAndOriginRoundTripsExactly() throws Exception {
        TypeSerializer<SluiceRecord> s =
                new SluiceRecordTypeInfo(V1).createSerializer(new SerializerConfigImpl());
        byte[] key = "k1".getBytes(StandardCharsets.UTF_8);
        SluiceRecord r =
                SluiceRecord.fromKafka("orders", 3, 42L, 1000L, key, new byte[] {0, 0, 0, 0, 1, 2})
                        .withValue(value(5, "ada"));
        SluiceRecord back = roundTrip(s, r);
        assertThat(back.key()).isEqualTo(key);
        assertThat(back.sourceKey()).isEqualTo(key);
        assertThat(back.value().get("id")).isEqualTo(5L);
        assertThat(back.value().get("name").toString()).isEqualTo("ada");
        assertThat(back.sourceTopic()).isEqualTo("orders");
        assertThat(back.sourcePartition()).isEqualTo(3);
        assertThat(back.sourceOffset()).isEqualTo(42L);
        assertThat(back.timestamp()).isEqualTo(1000L);
        assertThat(back.sourceValue()).containsExactly(0, 0, 0, 0, 1, 2);
    }

    @Test
    void testTombstonesAndRecordsWithoutOriginRoundTrip() throws Exception {
        TypeSerializer<SluiceRecord> s = new SluiceRecordSerializer(V1.toString());
        SluiceRecord tombstone = SluiceRecord.of("k".getBytes(StandardCharsets.UTF_8), null, 5L);
        SluiceRecord back = roundTrip(s, tombstone);
        assertThat(back.value()).isNull();
        assertThat(back.key()).containsExactly('k');
        assertThat(back.hasSource()).isFalse();

        SluiceRecord noKey = SluiceRecord.of(null, value(1, null), 6L);
        assertThat(roundTrip(s, noKey).value().get("name")).isNull();
    }

    @Test
    void testCopiesAreTheImmutableRecordItself() {
        TypeSerializer<SluiceRecord> s = new SluiceRecordSerializer(V1.toString());
        SluiceRecord r = SluiceRecord.of(null, value(1, "x"), 1L);
        assertThat(s.isImmutableType()).isTrue();
        assertThat(s.copy(r)).isSameAs(r);
        assertThat(s.duplicate()).isEqualTo(s).isNotSameAs(s);
    }

    @Test
    void testSnapshotRestoresAndResolvesSchemaEvolution() throws Exception {
        TypeSerializerSnapshot<SluiceRecord> old =
                new SluiceRecordSerializer(V1.toString()).snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        old.writeSnapshot(out);
        SluiceRecordSerializerSnapshot restored = new SluiceRecordSerializerSnapshot();
        restored.readSnapshot(
                old.getCurrentVersion(),
                new DataInputDeserializer(out.getCopyOfBuffer()),
                getClass().getClassLoader());
        assertThat(restored.restoreSerializer())
                .isEqualTo(new SluiceRecordSerializer(V1.toString()));

        TypeSerializerSchemaCompatibility<SluiceRecord> same =
                new SluiceRecordSerializer(V1.toString())
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(restored);
        assertThat(same.isCompatibleAsIs()).isTrue();
        assertThat(
                        new SluiceRecordSerializer(V2.toString())
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(restored)
                                .isCompatibleAfterMigration())
                .isTrue();
        assertThat(
                        new SluiceRecordSerializer(OTHER.toString())
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(restored)
                                .isIncompatible())
                .isTrue();
    }

    @Test
    void aValueOfAnEarlierSchemaIsWrittenInTheSerializersSchemaAsStateMigrationDoes()
            throws Exception {
        TypeSerializer<SluiceRecord> v2 = new SluiceRecordSerializer(V2.toString());
        SluiceRecord migrated = roundTrip(v2, SluiceRecord.of(null, value(5, "ann"), 1L));
        assertThat(migrated.value().getSchema()).isEqualTo(V2);
        assertThat(migrated.value().get("id")).isEqualTo(5L);
        assertThat(migrated.value().get("name").toString()).isEqualTo("ann");
        assertThat(migrated.value().get("extra")).isEqualTo(7);
    }
}

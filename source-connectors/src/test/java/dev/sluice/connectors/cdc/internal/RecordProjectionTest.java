package dev.sluice.connectors.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.connectors.cdc.schema.AvroColumn;
import dev.sluice.connectors.cdc.schema.TableSchemaDerivation;
import dev.sluice.schemas.registry.SchemaRegistryServer;
import dev.sluice.schemas.serde.ConfluentAvroEncoder;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Records of a newer version of a table, as the planned version the processors were built for. */
class RecordProjectionTest {

    private static final Schema INT = Schema.create(Schema.Type.INT);
    private static final Schema LONG = Schema.create(Schema.Type.LONG);
    private static final Schema STRING = Schema.create(Schema.Type.STRING);

    /** Planned: id int, n int not null, note string nullable, price decimal(6,2) nullable. */
    private static final Schema PLANNED =
            TableSchemaDerivation.valueSchema(
                    "ns",
                    List.of(
                            new AvroColumn("id", "id", INT, false),
                            new AvroColumn("n", "n", INT, false),
                            new AvroColumn("note", "note", STRING, true),
                            new AvroColumn(
                                    "price",
                                    "price",
                                    LogicalTypes.decimal(6, 2)
                                            .addToSchema(Schema.create(Schema.Type.BYTES)),
                                    true)));

    /** Now: n widened to long and nullable, note dropped, price (8,2), loc added. */
    private static final Schema NOW =
            TableSchemaDerivation.valueSchema(
                    "ns",
                    List.of(
                            new AvroColumn("id", "id", INT, false),
                            new AvroColumn("n", "n", LONG, true),
                            new AvroColumn(
                                    "price",
                                    "price",
                                    LogicalTypes.decimal(8, 2)
                                            .addToSchema(Schema.create(Schema.Type.BYTES)),
                                    true),
                            new AvroColumn("loc", "loc", STRING, true)));

    private static GenericRecord now(Object n, String price) {
        GenericRecord r = new GenericData.Record(NOW);
        r.put("id", 1);
        r.put("n", n);
        r.put(
                "price",
                price == null
                        ? null
                        : ByteBuffer.wrap(new BigDecimal(price).unscaledValue().toByteArray()));
        r.put("loc", "x");
        r.put("__op", "u");
        r.put("__event_id", "e1");
        r.put("__ts_ms", 5L);
        r.put("__source", "db.t@1");
        GenericRecord before =
                new GenericData.Record(NOW.getField("__before").schema().getTypes().get(1));
        before.put("id", 1);
        before.put("n", 7L);
        before.put("loc", "w");
        r.put("__before", before);
        return r;
    }

    @Test
    void testANewerVersionIsProjectedByFieldName() {
        RecordProjection projection = RecordProjection.of(NOW, PLANNED);
        assertThat(projection.isIdentity()).isFalse();

        GenericRecord out = projection.project(now(5L, "12.50"));

        assertThat(out.getSchema()).isEqualTo(PLANNED);
        assertThat(out.get("id")).isEqualTo(1);
        assertThat(out.get("n")).isEqualTo(5);
        assertThat(out.get("note")).as("dropped, nullable").isNull();
        ByteBuffer price = (ByteBuffer) out.get("price");
        byte[] bytes = new byte[price.remaining()];
        price.duplicate().get(bytes);
        assertThat(new BigDecimal(new BigInteger(bytes), 2)).isEqualByComparingTo("12.50");
        assertThat(out.get("__op")).isEqualTo("u");
        assertThat(out.get("__event_id")).isEqualTo("e1");
        GenericRecord before = (GenericRecord) out.get("__before");
        assertThat(before.getSchema())
                .isEqualTo(PLANNED.getField("__before").schema().getTypes().get(1));
        assertThat(before.get("n")).isEqualTo(7);
        assertThat(GenericData.get().validate(PLANNED, out)).isTrue();
        assertThat(RecordProjection.of(PLANNED, PLANNED).isIdentity()).isTrue();
    }

    @Test
    void testWhatThePlannedSchemaCannotHoldNamesTheColumn() {
        RecordProjection projection = RecordProjection.of(NOW, PLANNED);
        assertThatThrownBy(() -> projection.project(now(3_000_000_000L, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "column 'n': 3000000000 does not fit the planned type int; apply the"
                                + " pipeline again to plan it with the table's new columns");
        assertThatThrownBy(() -> projection.project(now(null, null)))
                .hasMessage(
                        "column 'n' is null, but the schema the pipeline was planned with has it"
                                + " as non-null; apply the pipeline again to plan it with the"
                                + " table's new columns");
        assertThatThrownBy(() -> projection.project(now(1L, "123456.78")))
                .hasMessageStartingWith(
                        "column 'price': 123456.78 does not fit the planned type decimal(6, 2)");

        Schema withoutN =
                TableSchemaDerivation.valueSchema(
                        "ns", List.of(new AvroColumn("id", "id", INT, false)));
        GenericRecord r = new GenericData.Record(withoutN);
        r.put("id", 1);
        r.put("__op", "c");
        r.put("__event_id", "e");
        r.put("__ts_ms", 1L);
        r.put("__source", "s");
        assertThatThrownBy(() -> RecordProjection.of(withoutN, PLANNED).project(r))
                .hasMessage(
                        "column 'n' is missing from the change (the table no longer has it), but"
                                + " the schema the pipeline was planned with has it as non-null;"
                                + " apply the pipeline again to plan it with the table's new"
                                + " columns");
    }

    @Test
    void testTheDecoderGivesThePlannedSchemaAndDeadLettersWhatDoesNotFit() throws Exception {
        try (SchemaRegistryServer registry =
                SchemaRegistryServer.builder().port(0).build().start()) {
            int plannedId = registry.store().register("t-value", PLANNED).id();
            int nowId = registry.store().register("other-value", NOW).id();
            ChangeDecoder decoder =
                    new ChangeDecoder("src", "t", PLANNED.toString(), plannedId, registry.url());
            try (OneInputStreamOperatorTestHarness<CapturedChange, SluiceRecord> harness =
                    new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(decoder))) {
                harness.setup(
                        new SluiceRecordTypeInfo(PLANNED)
                                .createSerializer(new SerializerConfigImpl()));
                harness.open();
                ConfluentAvroEncoder encoder = new ConfluentAvroEncoder(nowId, NOW);
                byte[] key = {0, 0, 0, 0, 1, 2};
                harness.processElement(
                        new StreamRecord<>(
                                new CapturedChange("t", key, encoder.encode(now(5L, null)), 9L)));
                byte[] tooWide = encoder.encode(now(3_000_000_000L, null));
                harness.processElement(
                        new StreamRecord<>(new CapturedChange("t", key, tooWide, 10L)));
                harness.processElement(new StreamRecord<>(new CapturedChange("t", key, null, 11L)));
                harness.processElement(
                        new StreamRecord<>(new CapturedChange("other", key, tooWide, 12L)));

                List<String> out = new ArrayList<>();
                for (SluiceRecord r : harness.extractOutputValues()) {
                    out.add(
                            r.value() == null
                                    ? "tombstone"
                                    : r.value().getSchema().equals(PLANNED)
                                            + ":"
                                            + r.value().get("n"));
                }
                assertThat(out).containsExactly("true:5", "tombstone");
                List<DeadLetter> dead = new ArrayList<>();
                harness.getSideOutput(DeadLetters.TAG).forEach(r -> dead.add(r.getValue()));
                assertThat(dead).hasSize(1);
                assertThat(dead.get(0).processorId).isEqualTo("src");
                assertThat(dead.get(0).sourceTopic).isEqualTo("t");
                assertThat(dead.get(0).originalValue).isEqualTo(tooWide);
                assertThat(dead.get(0).errorMessage)
                        .startsWith("column 'n': 3000000000 does not fit the planned type int");
            }
        }
    }
}

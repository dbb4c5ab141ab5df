package dev.sluice.processors.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** Projections: output schema (names, order, types, nullability), values, lineage, errors. */
class ProjectionCompilerTest {

    private static LinkedHashMap<String, String> fields(String... namesAndExpressions) {
        LinkedHashMap<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndExpressions.length; i += 2) {
            fields.put(namesAndExpressions[i], namesAndExpressions[i + 1]);
        }
        return fields;
    }

    private static final LinkedHashMap<String, String> ORDER_FIELDS =
            fields(
                    "customer", "UPPER(customer)",
                    "total", "amount * 1.2",
                    "order_id", "id",
                    "status", "status",
                    "big", "amount > 10",
                    "label", "CASE WHEN amount > 10 THEN 'big' ELSE 'small' END");

    @Test
    void testOutputSchemaHasFieldsInOrderWithTypesAndNullability() {
        CompiledProjection p =
                ProjectionCompiler.compile(ORDER_FIELDS, TestRecords.ORDER, "test.OrderSlim");
        Schema schema = p.outputSchema();

        assertThat(schema.getType()).isEqualTo(Schema.Type.RECORD);
        assertThat(schema.getFullName()).isEqualTo("test.OrderSlim");
        assertThat(schema.getFields())
                .extracting(Schema.Field::name)
                .containsExactly("customer", "total", "order_id", "status", "big", "label");
        assertThat(schema.getField("customer").schema().toString()).isEqualTo("\"string\"");
        assertThat(schema.getField("total").schema().toString()).isEqualTo("[\"null\",\"double\"]");
        assertThat(schema.getField("order_id").schema().toString()).isEqualTo("\"long\"");
        assertThat(schema.getField("status").schema())
                .isEqualTo(TestRecords.ORDER.getField("status").schema());
        assertThat(schema.getField("big").schema().toString()).isEqualTo("[\"null\",\"boolean\"]");
        // CASE with a NULL-able condition still has non-null branches only
        assertThat(schema.getField("label").schema().toString()).isEqualTo("\"string\"");
        // nullable fields default to null, so that the schema can evolve
        assertThat(schema.getField("total").defaultVal()).isEqualTo(JsonProperties.NULL_VALUE);
        assertThat(schema.getField("customer").hasDefaultValue()).isFalse();
    }

    @Test
    void testProjectComputesEachField() {
        CompiledProjection p =
                ProjectionCompiler.compile(ORDER_FIELDS, TestRecords.ORDER, "test.OrderSlim");

        GenericRecord out = p.project(TestRecords.order(5, "ann", 20, "PAID"));

        assertThat(out.getSchema()).isSameAs(p.outputSchema());
        assertThat(out.get("customer")).isEqualTo("ANN");
        assertThat(out.get("total")).isEqualTo(24.0);
        assertThat(out.get("order_id")).isEqualTo(5L);
        assertThat(out.get("status").toString()).isEqualTo("PAID");
        assertThat(out.get("big")).isEqualTo(true);
        assertThat(out.get("label")).isEqualTo("big");

        GenericRecord withNull = p.project(TestRecords.order(6, "bob", null, "NEW"));
        assertThat(withNull.get("total")).isNull();
        assertThat(withNull.get("big")).isNull();
        assertThat(withNull.get("label")).isEqualTo("small");
        assertThat(GenericData.get().validate(p.outputSchema(), withNull)).isTrue();
    }

    @Test
    void testLineageMapsEachOutputFieldToTheInputFieldsItReads() {
        CompiledProjection p =
                ProjectionCompiler.compile(
                        fields(
                                "who", "customer || '#' || CAST(id AS STRING)",
                                "one", "1",
                                "amount", "amount"),
                        TestRecords.ORDER,
                        "Out");

        assertThat(p.lineage())
                .containsExactly(
                        Map.entry("who", Set.of("customer", "id")),
                        Map.entry("one", Set.of()),
                        Map.entry("amount", Set.of("amount")));
        assertThat(p.lineage().get("who")).containsExactly("customer", "id");
    }

    @Test
    void testErrorNamesTheOutputField() {
        ExpressionException e =
                catchThrowableOfType(
                        ExpressionException.class,
                        () ->
                                ProjectionCompiler.compile(
                                        fields("ok", "id", "total", "amout * 2"),
                                        TestRecords.ORDER,
                                        "Out"));

        assertThat(e.kind()).isEqualTo(ExpressionException.Kind.UNKNOWN_FIELD);
        assertThat(e.outputField()).isEqualTo("total");
        assertThat(e.field()).isEqualTo("amout");
        assertThat(e.expression()).isEqualTo("amout * 2");
        assertThat(e.message())
                .isEqualTo(
                        "fields.total: unknown field 'amout' in expression \"amout * 2\"; the"
                                + " input has fields: id, customer, amount, status");
    }

    @Test
    void testTypeAndParseErrorsNameTheOutputField() {
        ExpressionException type =
                catchThrowableOfType(
                        ExpressionException.class,
                        () ->
                                ProjectionCompiler.compile(
                                        fields("x", "customer + 1"), TestRecords.ORDER, "Out"));
        assertThat(type.outputField()).isEqualTo("x");
        assertThat(type.message())
                .isEqualTo(
                        "fields.x: cannot apply '+' to STRING and INT in expression \"customer +"
                                + " 1\"");

        ExpressionException parse =
                catchThrowableOfType(
                        ExpressionException.class,
                        () ->
                                ProjectionCompiler.compile(
                                        fields("y", "SELECT 1"), TestRecords.ORDER, "Out"));
        assertThat(parse.kind()).isEqualTo(ExpressionException.Kind.PARSE);
        assertThat(parse.outputField()).isEqualTo("y");
        assertThat(parse.message()).startsWith("fields.y: cannot parse expression \"SELECT 1\"");
    }

    @Test
    void testInvalidOutputFieldNameIsRejected() {
        ExpressionException e =
                catchThrowableOfType(
                        ExpressionException.class,
                        () ->
                                ProjectionCompiler.compile(
                                        fields("order id", "id"), TestRecords.ORDER, "Out"));

        assertThat(e.kind()).isEqualTo(ExpressionException.Kind.UNSUPPORTED);
        assertThat(e.outputField()).isEqualTo("order id");
        assertThat(e.message())
                .isEqualTo(
                        "fields.order id: 'order id' is not a valid output field name: use"
                                + " letters, digits and '_', not starting with a digit");
        assertThat(
                        catchThrowableOfType(
                                        ExpressionException.class,
                                        () ->
                                                ProjectionCompiler.compile(
                                                        fields("1st", "id"),
                                                        TestRecords.ORDER,
                                                        "Out"))
                                .outputField())
                .isEqualTo("1st");
    }

    @Test
    void testEmptyFieldsAndBadRecordNamesAreRejected() {
        assertThat(
                        catchThrowableOfType(
                                        ExpressionException.class,
                                        () ->
                                                ProjectionCompiler.compile(
                                                        new LinkedHashMap<>(),
                                                        TestRecords.ORDER,
                                                        "Out"))
                                .message())
                .isEqualTo("fields: a projection needs at least one output field");
        assertThatThrownBy(
                        () ->
                                ProjectionCompiler.compile(
                                        fields("a", "id"), TestRecords.ORDER, "my-out"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "'my-out' is not a valid Avro record name: dot-separated parts of"
                                + " letters, digits and '_', not starting with a digit");
    }

    @Test
    void testOutputRecordNameClashingWithAPassedThroughTypeIsRejected() {
        ExpressionException e =
                catchThrowableOfType(
                        ExpressionException.class,
                        () ->
                                ProjectionCompiler.compile(
                                        fields("s", "status"), TestRecords.ORDER, "test.Status"));

        assertThat(e.kind()).isEqualTo(ExpressionException.Kind.UNSUPPORTED);
        assertThat(e.message()).startsWith("the output schema 'test.Status' is not valid: ");
    }

    @Test
    void testEvaluationErrorNamesTheOutputField() {
        CompiledProjection p =
                ProjectionCompiler.compile(
                        fields("id", "id", "ratio", "id / amount"), TestRecords.ORDER, "Out");

        ExpressionEvaluationException e =
                catchThrowableOfType(
                        ExpressionEvaluationException.class,
                        () -> p.project(TestRecords.order(5, "ann", 0, "NEW")));

        assertThat(e.outputField()).isEqualTo("ratio");
        assertThat(e.expression()).isEqualTo("id / amount");
        assertThat(e.getMessage())
                .isEqualTo("fields.ratio: division by zero in expression \"id / amount\"");
    }

    @Test
    void testOutputRecordsRoundTripThroughAvroBinary() throws Exception {
        CompiledProjection p =
                ProjectionCompiler.compile(
                        fields(
                                "double_price", "price * 2",
                                "price", "price",
                                "color", "e",
                                "zip", "address.zip",
                                "city", "address.city",
                                "tags", "tags",
                                "name", "\"Name\"",
                                "low", "LOWER(s)",
                                "n", "ni + 1",
                                "nothing", "NULL",
                                "at", "ts"),
                        TestRecords.WIDE,
                        "test.WideOut");

        GenericRecord out = p.project(TestRecords.wide());
        GenericRecord read = binaryRoundTrip(p.outputSchema(), out);

        assertThat(p.outputSchema().getField("double_price").schema().toString())
                .isEqualTo(
                        "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":20,\"scale\":2}");
        assertThat(TestRecords.decimal(read.get("double_price"), 2))
                .isEqualTo(new BigDecimal("24.68"));
        assertThat(TestRecords.decimal(read.get("price"), 2)).isEqualTo(new BigDecimal("12.34"));
        assertThat(read.get("color").toString()).isEqualTo("GREEN");
        assertThat(read.get("zip")).isNull();
        assertThat(read.get("city").toString()).isEqualTo("Paris");
        assertThat(read.get("tags").toString()).isEqualTo("[a, b]");
        assertThat(read.get("name").toString()).isEqualTo("N");
        assertThat(read.get("low").toString()).isEqualTo(" hello world ");
        assertThat(read.get("n")).isNull();
        assertThat(read.get("nothing")).isNull();
        assertThat(read.get("at")).isEqualTo(1_700_000_000_000L);
        assertThat(p.outputSchema().getField("at").schema().getLogicalType().getName())
                .isEqualTo("timestamp-millis");
    }

    @Test
    void testJavaSerializationRecompiles() throws Exception {
        CompiledProjection p =
                ProjectionCompiler.compile(ORDER_FIELDS, TestRecords.ORDER, "test.OrderSlim");

        CompiledProjection copy = CompiledPredicateTest.roundTrip(p);

        assertThat(copy).isNotSameAs(p);
        assertThat(copy.outputSchema()).isEqualTo(p.outputSchema());
        assertThat(copy.fields()).isEqualTo(ORDER_FIELDS);
        assertThat(copy.lineage()).isEqualTo(p.lineage());
        GenericRecord out = copy.project(TestRecords.order(5, "ann", 20, "PAID"));
        assertThat(out.get("customer")).isEqualTo("ANN");
        assertThat(out.get("total")).isEqualTo(24.0);
    }

    @Test
    void testCompiledExpressionSerializationRecompiles() throws Exception {
        CompiledExpression e = ExpressionCompiler.compile("amount * 2", TestRecords.ORDER);

        CompiledExpression copy = CompiledPredicateTest.roundTrip(e);

        assertThat(copy.expression()).isEqualTo("amount * 2");
        assertThat(copy.resultSchema()).isEqualTo(e.resultSchema());
        assertThat(copy.evaluate(TestRecords.order(1, "a", 21, "NEW"))).isEqualTo(42);
    }

    private static GenericRecord binaryRoundTrip(Schema schema, GenericRecord record)
            throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }

    @Test
    void testFieldsListCopiedAtCompileTime() {
        LinkedHashMap<String, String> mutable = fields("a", "id");
        CompiledProjection p = ProjectionCompiler.compile(mutable, TestRecords.ORDER, "Out");
        mutable.put("b", "customer");

        assertThat(p.fields()).containsExactly(Map.entry("a", "id"));
        assertThat(p.outputSchema().getFields()).hasSize(1);
        assertThat(List.copyOf(p.lineage().keySet())).containsExactly("a");
    }
}

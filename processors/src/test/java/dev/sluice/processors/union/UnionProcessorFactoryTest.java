package dev.sluice.processors.union;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.Delivery;
import dev.sluice.sdk.factory.PlatformContext;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.ProcessorFactory.PlannedProcessor;
import dev.sluice.sdk.factory.TranslationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.UnionTransformation;
import org.junit.jupiter.api.Test;

/** Planning of the {@code union} processor: output schema, kinds, lineage, and what it refuses. */
class UnionProcessorFactoryTest {

    private static final String POINTER = "/processors/0";
    private static final String ALLOWED =
            " (same types, or int to long, int/long/float to double, enum to string)";

    private final UnionProcessorFactory factory = new UnionProcessorFactory();

    private static Schema record(String name, String fieldsJson) {
        return new Schema.Parser()
                .parse(
                        "{\"type\":\"record\",\"name\":\""
                                + name
                                + "\",\"namespace\":\"test\",\"fields\":["
                                + fieldsJson
                                + "]}");
    }

    private static StreamDescriptor append(String id, Schema schema) {
        return new StreamDescriptor(id, schema, StreamKind.APPEND);
    }

    private static StreamDescriptor changelog(String id, Schema schema) {
        return new StreamDescriptor(id, schema, StreamKind.CHANGELOG);
    }

    private static ProcessorFactory.Context context(List<StreamDescriptor> inputs) {
        NodeOptions options =
                NodeOptions.validate("union", Set.of(), Set.of(), Map.of(), POINTER + "/config");
        return new ProcessorFactory.Context() {
            @Override
            public List<StreamDescriptor> inputs() {
                return inputs;
            }

            @Override
            public String pipelineName() {
                return "shop";
            }

            @Override
            public String nodeId() {
                return "all";
            }

            @Override
            public String pointer() {
                return POINTER;
            }

            @Override
            public NodeOptions options() {
                return options;
            }

            @Override
            public Delivery delivery() {
                return Delivery.EXACTLY_ONCE;
            }

            @Override
            public PlatformContext platform() {
                return null;
            }

            @Override
            public ClassLoader classLoader() {
                return UnionProcessorFactoryTest.class.getClassLoader();
            }
        };
    }

    private PlannedProcessor plan(StreamDescriptor... inputs) {
        return factory.plan(context(List.of(inputs)));
    }

    private Schema fieldType(StreamDescriptor a, StreamDescriptor b, String field) {
        return plan(a, b).outputSchema().getField(field).schema();
    }

    private void assertRefused(String pointer, String message, StreamDescriptor... inputs) {
        assertThatThrownBy(() -> plan(inputs))
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e -> assertThat(e.pointer()).isEqualTo(pointer))
                .hasMessage(message);
    }

    private static Schema type(String json) {
        return new Schema.Parser().parse(json);
    }

    @Test
    void testIdentifierAndNoOptions() {
        assertThat(factory.identifier()).isEqualTo("union");
        assertThat(factory.requiredOptions()).isEmpty();
        assertThat(factory.optionalOptions()).isEmpty();
    }

    @Test
    void testUnknownConfigKeyIsRefusedByNodeOptions() {
        assertThatThrownBy(
                        () ->
                                NodeOptions.validate(
                                        "union",
                                        factory.requiredOptions(),
                                        factory.optionalOptions(),
                                        Map.of("mode", "all"),
                                        POINTER + "/config"))
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/processors/0/config/mode"))
                .hasMessage(
                        "unknown key 'mode' at /processors/0/config/mode; allowed keys for"
                                + " 'union': (none)");
    }

    @Test
    void testEqualInputsKeepTheirFields() {
        Schema order =
                record(
                        "Order",
                        "{\"name\":\"id\",\"type\":\"long\",\"doc\":\"order id\"},"
                                + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null},"
                                + "{\"name\":\"qty\",\"type\":\"int\",\"default\":1}");
        PlannedProcessor planned = plan(append("eu", order), append("us", order));

        Schema out = planned.outputSchema();
        assertThat(out.getFullName()).isEqualTo("shop_all");
        assertThat(out.getFields()).hasSize(3);
        assertThat(out.getField("id").schema()).isEqualTo(type("\"long\""));
        assertThat(out.getField("id").doc()).isEqualTo("order id");
        assertThat(out.getField("id").hasDefaultValue()).isFalse();
        assertThat(out.getField("note").schema()).isEqualTo(type("[\"null\",\"string\"]"));
        assertThat(out.getField("note").defaultVal()).isEqualTo(JsonProperties.NULL_VALUE);
        assertThat(out.getField("qty").schema()).isEqualTo(type("\"int\""));
        assertThat(out.getField("qty").defaultVal()).isEqualTo(1);
        assertThat(planned.outputKind()).isEqualTo(StreamKind.APPEND);
        // the same fields as the inputs, only the record name differs
        assertThat(out.toString().replace("\"shop_all\"", "\"Order\",\"namespace\":\"test\""))
                .isEqualTo(order.toString());
    }

    @Test
    void testOverlappingFieldsInOrderOfFirstAppearanceMissingOnesNullable() {
        Schema eu =
                record(
                        "Eu",
                        "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"name\",\"type\":\"string\"},"
                                + "{\"name\":\"qty\",\"type\":\"int\",\"default\":0}");
        Schema us =
                record(
                        "Us",
                        "{\"name\":\"amount\",\"type\":\"double\"},"
                                + "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"name\",\"type\":[\"null\",\"string\"],\"default\":null},"
                                + "{\"name\":\"qty\",\"type\":\"int\",\"default\":5}");
        Schema asia =
                record(
                        "Asia",
                        "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"name\",\"type\":\"string\"},"
                                + "{\"name\":\"qty\",\"type\":\"int\"},"
                                + "{\"name\":\"region\",\"type\":\"string\",\"default\":\"apac\"}");

        Schema out = plan(append("eu", eu), append("us", us), append("asia", asia)).outputSchema();

        assertThat(out.getFields().stream().map(Schema.Field::name))
                .containsExactly("id", "name", "qty", "amount", "region");
        assertThat(out.getField("id").schema()).isEqualTo(type("\"long\""));
        assertThat(out.getField("name").schema()).isEqualTo(type("[\"null\",\"string\"]"));
        assertThat(out.getField("name").defaultVal()).isEqualTo(JsonProperties.NULL_VALUE);
        // defaults differ between inputs: none is kept
        assertThat(out.getField("qty").schema()).isEqualTo(type("\"int\""));
        assertThat(out.getField("qty").hasDefaultValue()).isFalse();
        assertThat(out.getField("amount").schema()).isEqualTo(type("[\"null\",\"double\"]"));
        assertThat(out.getField("amount").defaultVal()).isEqualTo(JsonProperties.NULL_VALUE);
        assertThat(out.getField("region").schema()).isEqualTo(type("[\"null\",\"string\"]"));
        assertThat(out.getField("region").defaultVal()).isEqualTo(JsonProperties.NULL_VALUE);
    }

    @Test
    void testDisjointInputsGiveAllFieldsNullable() {
        Schema a = record("A", "{\"name\":\"x\",\"type\":\"int\"}");
        Schema b =
                record(
                        "B",
                        "{\"name\":\"y\",\"type\":[\"string\",\"int\"]},"
                                + "{\"name\":\"z\",\"type\":{\"type\":\"array\",\"items\":\"long\"}}");

        Schema out = plan(append("a", a), append("b", b)).outputSchema();

        assertThat(out.toString())
                .isEqualTo(
                        "{\"type\":\"record\",\"name\":\"shop_all\",\"fields\":["
                                + "{\"name\":\"x\",\"type\":[\"null\",\"int\"],\"default\":null},"
                                + "{\"name\":\"y\",\"type\":[\"null\",\"string\",\"int\"],\"default\":null},"
                                + "{\"name\":\"z\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"long\"}],"
                                + "\"default\":null}]}");
    }

    @Test
    void testNumericWideningAndEnumToString() {
        String status =
                "{\"name\":\"v\",\"type\":{\"type\":\"enum\",\"name\":\"Status\",\"symbols\":[\"NEW\",\"PAID\"]}}";
        assertThat(
                        fieldType(
                                append("a", record("A", "{\"name\":\"v\",\"type\":\"int\"}")),
                                append("b", record("B", "{\"name\":\"v\",\"type\":\"long\"}")),
                                "v"))
                .isEqualTo(type("\"long\""));
        assertThat(
                        fieldType(
                                append("a", record("A", "{\"name\":\"v\",\"type\":\"long\"}")),
                                append("b", record("B", "{\"name\":\"v\",\"type\":\"int\"}")),
                                "v"))
                .isEqualTo(type("\"long\""));
        assertThat(
                        fieldType(
                                append("a", record("A", "{\"name\":\"v\",\"type\":\"float\"}")),
                                append("b", record("B", "{\"name\":\"v\",\"type\":\"double\"}")),
                                "v"))
                .isEqualTo(type("\"double\""));
        assertThat(
                        fieldType(
                                append("a", record("A", "{\"name\":\"v\",\"type\":\"double\"}")),
                                append("b", record("B", "{\"name\":\"v\",\"type\":\"int\"}")),
                                "v"))
                .isEqualTo(type("\"double\""));
        assertThat(
                        fieldType(
                                append("a", record("A", "{\"name\":\"v\",\"type\":\"long\"}")),
                                append("b", record("B", "{\"name\":\"v\",\"type\":\"double\"}")),
                                "v"))
                .isEqualTo(type("\"double\""));
        assertThat(
                        fieldType(
                                append("a", record("A", status)),
                                append("b", record("B", "{\"name\":\"v\",\"type\":\"string\"}")),
                                "v"))
                .isEqualTo(type("\"string\""));
        // nullable in one input: the widened type, nullable
        assertThat(
                        fieldType(
                                append(
                                        "a",
                                        record(
                                                "A",
                                                "{\"name\":\"v\",\"type\":[\"null\",\"int\"],\"default\":null}")),
                                append("b", record("B", "{\"name\":\"v\",\"type\":\"long\"}")),
                                "v"))
                .isEqualTo(type("[\"null\",\"long\"]"));
    }

    @Test
    void testWideningIsDecidedOverAllInputsNotPairwise() {
        // int and float alone do not unify, but with a double input both widen to double
        Schema out =
                plan(
                                append("a", record("A", "{\"name\":\"v\",\"type\":\"int\"}")),
                                append("b", record("B", "{\"name\":\"v\",\"type\":\"float\"}")),
                                append("c", record("C", "{\"name\":\"v\",\"type\":\"double\"}")))
                        .outputSchema();
        assertThat(out.getField("v").schema()).isEqualTo(type("\"double\""));

        // with a string input as well, the conflict is named against the type the others unify to
        assertRefused(
                "/processors/0/inputs/3",
                "union 'all': field 'v' is double in 'c' but string in 'd'; inputs must have"
                        + " compatible schemas"
                        + ALLOWED,
                append("a", record("A", "{\"name\":\"v\",\"type\":\"int\"}")),
                append("b", record("B", "{\"name\":\"v\",\"type\":\"float\"}")),
                append("c", record("C", "{\"name\":\"v\",\"type\":\"double\"}")),
                append("d", record("D", "{\"name\":\"v\",\"type\":\"string\"}")));
    }

    @Test
    void testWidenedFieldsAreReadableFromEveryInputForAvro() {
        Schema a =
                record(
                        "A",
                        "{\"name\":\"i\",\"type\":\"int\"},{\"name\":\"f\",\"type\":\"float\"},"
                                + "{\"name\":\"s\",\"type\":\"string\"}");
        Schema b =
                record(
                        "B",
                        "{\"name\":\"i\",\"type\":\"long\"},{\"name\":\"f\",\"type\":\"double\"},"
                                + "{\"name\":\"s\",\"type\":[\"null\",\"string\"]}");
        Schema out = plan(append("a", a), append("b", b)).outputSchema();
        for (Schema input : List.of(a, b)) {
            for (Schema.Field f : input.getFields()) {
                assertThat(
                                SchemaCompatibility.checkReaderWriterCompatibility(
                                                out.getField(f.name()).schema(), f.schema())
                                        .getType())
                        .as("%s.%s", input.getName(), f.name())
                        .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
            }
        }
    }

    @Test
    void testIncompatibleTypesNameFieldTypesAndInputs() {
        assertRefused(
                "/processors/0/inputs/1",
                "union 'all': field 'amount' is string in 'eu' but double in 'us'; inputs must"
                        + " have compatible schemas"
                        + ALLOWED,
                append("eu", record("Eu", "{\"name\":\"amount\",\"type\":\"string\"}")),
                append("us", record("Us", "{\"name\":\"amount\",\"type\":\"double\"}")));
    }

    @Test
    void testIncompatibleThirdInputIsPointedAt() {
        assertRefused(
                "/processors/0/inputs/2",
                "union 'all': field 'n' is long in 'b' but string in 'c'; inputs must have"
                        + " compatible schemas"
                        + ALLOWED,
                append("a", record("A", "{\"name\":\"n\",\"type\":\"int\"}")),
                append("b", record("B", "{\"name\":\"n\",\"type\":\"long\"}")),
                append("c", record("C", "{\"name\":\"n\",\"type\":[\"null\",\"string\"]}")));
    }

    @Test
    void testIntWithFloatIsNotWidened() {
        assertRefused(
                "/processors/0/inputs/1",
                "union 'all': field 'v' is int in 'a' but float in 'b'; inputs must have"
                        + " compatible schemas"
                        + ALLOWED,
                append("a", record("A", "{\"name\":\"v\",\"type\":\"int\"}")),
                append("b", record("B", "{\"name\":\"v\",\"type\":\"float\"}")));
    }

    @Test
    void testLogicalTypesMustMatch() {
        assertRefused(
                "/processors/0/inputs/1",
                "union 'all': field 'ts' is timestamp-millis (long) in 'a' but long in 'b';"
                        + " inputs must have compatible schemas"
                        + ALLOWED,
                append(
                        "a",
                        record(
                                "A",
                                "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}")),
                append("b", record("B", "{\"name\":\"ts\",\"type\":\"long\"}")));
        assertRefused(
                "/processors/0/inputs/1",
                "union 'all': field 'p' is decimal(10,2) (bytes) in 'a' but decimal(12,2) (bytes)"
                        + " in 'b'; inputs must have compatible schemas"
                        + ALLOWED,
                append(
                        "a",
                        record(
                                "A",
                                "{\"name\":\"p\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":10,\"scale\":2}}")),
                append(
                        "b",
                        record(
                                "B",
                                "{\"name\":\"p\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":12,\"scale\":2}}")));
    }

    @Test
    void testPrimitivePropertiesOtherThanLogicalTypeDoNotMatter() {
        Schema out =
                plan(
                                append(
                                        "a",
                                        record(
                                                "A",
                                                "{\"name\":\"s\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"}}")),
                                append("b", record("B", "{\"name\":\"s\",\"type\":\"string\"}")))
                        .outputSchema();
        assertThat(out.getField("s").schema().getType()).isEqualTo(Schema.Type.STRING);
    }

    @Test
    void testNestedRecordsMustBeEqual() {
        String address =
                "{\"name\":\"address\",\"type\":{\"type\":\"record\",\"name\":\"Address\",\"fields\":[%s]}}";
        Schema eu = record("Eu", String.format(address, "{\"name\":\"city\",\"type\":\"string\"}"));
        Schema us =
                record(
                        "Us",
                        String.format(
                                address,
                                "{\"name\":\"city\",\"type\":\"string\"},{\"name\":\"zip\",\"type\":\"string\"}"));
        assertRefused(
                "/processors/0/inputs/1",
                "union 'all': field 'address' is record test.Address in 'eu' but a different"
                        + " record test.Address in 'us'; inputs must have compatible schemas"
                        + ALLOWED,
                append("eu", eu),
                append("us", us));

        Schema same =
                record("Us", String.format(address, "{\"name\":\"city\",\"type\":\"string\"}"));
        assertThat(plan(append("eu", eu), append("us", same)).outputSchema().getField("address"))
                .extracting(Schema.Field::schema)
                .isEqualTo(eu.getField("address").schema());
    }

    @Test
    void testDifferentEnumsAndContainersAreRefused() {
        assertRefused(
                "/processors/0/inputs/1",
                "union 'all': field 's' is enum test.S in 'a' but a different enum test.S in 'b';"
                        + " inputs must have compatible schemas"
                        + ALLOWED,
                append(
                        "a",
                        record(
                                "A",
                                "{\"name\":\"s\",\"type\":{\"type\":\"enum\",\"name\":\"S\",\"symbols\":[\"X\"]}}")),
                append(
                        "b",
                        record(
                                "B",
                                "{\"name\":\"s\",\"type\":{\"type\":\"enum\",\"name\":\"S\",\"symbols\":[\"X\",\"Y\"]}}")));
        assertRefused(
                "/processors/0/inputs/1",
                "union 'all': field 'xs' is array of int in 'a' but array of long in 'b'; inputs"
                        + " must have compatible schemas"
                        + ALLOWED,
                append(
                        "a",
                        record(
                                "A",
                                "{\"name\":\"xs\",\"type\":{\"type\":\"array\",\"items\":\"int\"}}")),
                append(
                        "b",
                        record(
                                "B",
                                "{\"name\":\"xs\",\"type\":{\"type\":\"array\",\"items\":\"long\"}}")));
    }

    @Test
    void testTwoNamedTypesOfOneNameInDifferentFieldsAreRefused() {
        assertThatThrownBy(
                        () ->
                                plan(
                                        append(
                                                "a",
                                                record(
                                                        "A",
                                                        "{\"name\":\"s\",\"type\":{\"type\":\"enum\",\"name\":\"S\",\"symbols\":[\"X\"]}}")),
                                        append(
                                                "b",
                                                record(
                                                        "B",
                                                        "{\"name\":\"t\",\"type\":{\"type\":\"enum\",\"name\":\"S\",\"symbols\":[\"Y\"]}}"))))
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/processors/0/inputs"))
                .hasMessageStartingWith("union 'all': the unified schema is not valid Avro: ")
                .hasMessageContaining("test.S")
                .hasMessageEndingWith("; inputs must have compatible schemas");
    }

    @Test
    void testInputsOfDifferentKindsAreRefused() {
        Schema s = record("S", "{\"name\":\"id\",\"type\":\"long\"}");
        assertRefused(
                "/processors/0/inputs/1",
                "union 'all': inputs must all be append streams or all changelogs, got 'eu'"
                        + " (append), 'us' (changelog), 'asia' (changelog)",
                append("eu", s),
                changelog("us", s),
                changelog("asia", s));
        assertRefused(
                "/processors/0/inputs/2",
                "union 'all': inputs must all be append streams or all changelogs, got 'eu'"
                        + " (changelog), 'us' (changelog), 'asia' (append)",
                changelog("eu", s),
                changelog("us", s),
                append("asia", s));
    }

    @Test
    void testChangelogInputsGiveAChangelog() {
        Schema s = record("S", "{\"name\":\"id\",\"type\":\"long\"}");
        assertThat(plan(changelog("eu", s), changelog("us", s)).outputKind())
                .isEqualTo(StreamKind.CHANGELOG);
    }

    @Test
    void testFewerThanTwoInputsAreRefused() {
        Schema s = record("S", "{\"name\":\"id\",\"type\":\"long\"}");
        assertRefused(
                "/processors/0/inputs",
                "union 'all' needs at least two inputs, got 1; a single input can be read"
                        + " directly",
                append("eu", s));
        assertRefused(
                "/processors/0/inputs",
                "union 'all' needs at least two inputs, got 0; a single input can be read"
                        + " directly");
    }

    @Test
    void testLineageNamesEveryInputFieldBehindEachOutputField() {
        Schema eu =
                record(
                        "Eu",
                        "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"name\",\"type\":\"string\"}");
        Schema us =
                record(
                        "Us",
                        "{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"amount\",\"type\":\"double\"}");
        Map<String, Set<String>> lineage = plan(append("us", us), append("eu", eu)).lineage();
        assertThat(lineage.keySet()).containsExactly("id", "amount", "name");
        assertThat(lineage.get("id")).containsExactly("eu.id", "us.id");
        assertThat(lineage.get("amount")).containsExactly("us.amount");
        assertThat(lineage.get("name")).containsExactly("eu.name");
    }

    @Test
    void testOutputRecordNameIsAValidAvroName() {
        assertThat(UnionProcessorFactory.outputRecordName("my-shop", "all.eu"))
                .isEqualTo("my_shop_all_eu");
        assertThat(UnionProcessorFactory.outputRecordName("1shop", "all")).isEqualTo("_1shop_all");
    }

    @Test
    void testTranslateAlignsOnlyInputsWhoseSchemaDiffers() {
        Schema a = record("A", "{\"name\":\"id\",\"type\":\"long\"}");
        Schema b = record("B", "{\"name\":\"id\",\"type\":\"int\"}");
        PlannedProcessor planned = plan(append("a", a), append("b", b));
        Schema out = planned.outputSchema();
        assertThat(out.toString())
                .isEqualTo(
                        "{\"type\":\"record\",\"name\":\"shop_all\",\"fields\":["
                                + "{\"name\":\"id\",\"type\":\"long\"}]}");
        // a third input that already has the output schema is passed through
        PlannedProcessor withSame = plan(append("a", a), append("b", b), append("c", out));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TypeInformation<SluiceRecord> type = TypeInformation.of(SluiceRecord.class);
        List<DataStream<SluiceRecord>> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            streams.add(env.fromSequence(0, 0).map(x -> (SluiceRecord) null).returns(type));
        }
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();
        TranslationContext ctx = translationContext(type, deadLetters);

        DataStream<SluiceRecord> result = withSame.translate(streams, ctx);

        assertThat(result.getTransformation()).isInstanceOf(UnionTransformation.class);
        List<Transformation<?>> inputs = result.getTransformation().getInputs();
        assertThat(inputs).hasSize(3);
        assertThat(inputs.get(0).getUid()).isEqualTo("sluice/shop/all/align-0");
        assertThat(inputs.get(0).getName()).isEqualTo("all: union align a");
        assertThat(inputs.get(0).getParallelism()).isEqualTo(2);
        assertThat(inputs.get(1).getUid()).isEqualTo("sluice/shop/all/align-1");
        assertThat(inputs.get(1).getName()).isEqualTo("all: union align b");
        assertThat(inputs.get(2)).isSameAs(streams.get(2).getTransformation());
        assertThat(deadLetters).hasSize(2);
    }

    private static TranslationContext translationContext(
            TypeInformation<SluiceRecord> type, List<DataStream<DeadLetter>> deadLetters) {
        return new TranslationContext() {
            @Override
            public String uid(String suffix) {
                return "sluice/shop/all/" + suffix;
            }

            @Override
            public String operatorName(String suffix) {
                return "all: " + suffix;
            }

            @Override
            public int parallelism() {
                return 2;
            }

            @Override
            public TypeInformation<SluiceRecord> recordType(Schema schema) {
                return type;
            }

            @Override
            public void addDeadLetters(DataStream<DeadLetter> stream) {
                deadLetters.add(stream);
            }

            @Override
            public String transactionalIdPrefix() {
                return "sluice-shop-all";
            }

            @Override
            public String consumerGroupId() {
                return "sluice-shop-all";
            }
        };
    }
}

package dev.sluice.processors.join;

import static dev.sluice.processors.join.JoinFixtures.MOVIES;
import static dev.sluice.processors.join.JoinFixtures.TALENT;
import static dev.sluice.processors.join.JoinFixtures.changelog;
import static dev.sluice.processors.join.JoinFixtures.moviesWithTalent;
import static dev.sluice.processors.join.JoinFixtures.plan;
import static dev.sluice.processors.join.JoinFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.ProcessorFactory.PlannedProcessor;
import dev.sluice.sdk.factory.TranslationContext;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.TwoInputTransformation;
import org.junit.jupiter.api.Test;

/** Planning of the {@code join} processor: config checks, output schema, kind, lineage. */
class JoinProcessorFactoryTest {

    private static final StreamDescriptor MOVIES_IN = changelog("movies", MOVIES);
    private static final StreamDescriptor TALENT_IN = changelog("talent", TALENT);

    private static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> config = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    private static Map<String, Object> on(String... idsAndFields) {
        return config((Object[]) idsAndFields);
    }

    private static void assertRefused(
            Map<String, Object> config,
            String pointer,
            String message,
            StreamDescriptor... inputs) {
        assertThatThrownBy(() -> plan(config, inputs))
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e -> assertThat(e.pointer()).isEqualTo(pointer))
                .hasMessage(message);
    }

    private static Schema type(String json) {
        return new Schema.Parser().parse(json);
    }

    @Test
    void testIdentifierAndOptions() {
        JoinProcessorFactory factory = new JoinProcessorFactory();
        assertThat(factory.identifier()).isEqualTo("join");
        assertThat(factory.requiredOptions()).containsExactly(JoinProcessorFactory.ON);
        assertThat(factory.optionalOptions())
                .containsExactlyInAnyOrder(JoinProcessorFactory.KIND, JoinProcessorFactory.TTL);
        assertThat(JoinProcessorFactory.KIND.defaultValue()).contains("inner");
    }

    @Test
    void testInnerJoinOutputIsLeftFieldsThenRightFieldsWithClashesPrefixed() {
        PlannedProcessor planned = moviesWithTalent(false);

        assertThat(planned.outputSchema().toString())
                .isEqualTo(
                        "{\"type\":\"record\",\"name\":\"studio_enriched\",\"fields\":["
                                + "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"title\",\"type\":\"string\",\"doc\":\"the title\"},"
                                + "{\"name\":\"director_id\",\"type\":[\"null\",\"long\"],\"default\":null},"
                                + "{\"name\":\"__op\",\"type\":[\"null\",\"string\"],\"default\":null},"
                                + "{\"name\":\"talent_id\",\"type\":\"long\"},"
                                + "{\"name\":\"name\",\"type\":\"string\"},"
                                + "{\"name\":\"born\",\"type\":[\"null\",\"int\"],\"default\":null},"
                                + "{\"name\":\"talent___op\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
        assertThat(planned.outputKind()).isEqualTo(StreamKind.CHANGELOG);
    }

    @Test
    void testLeftJoinMakesEveryRightFieldNullable() {
        Schema right =
                record(
                        "Talent",
                        "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"name\",\"type\":\"string\",\"default\":\"?\"},"
                                + "{\"name\":\"alias\",\"type\":[\"string\",\"null\"],\"default\":\"-\"},"
                                + "{\"name\":\"tag\",\"type\":[\"null\",\"string\",\"int\"],\"default\":null}");

        PlannedProcessor planned =
                plan(
                        config("kind", "left", "on", on("movies", "director_id", "talent", "id")),
                        MOVIES_IN,
                        changelog("talent", right));

        Schema out = planned.outputSchema();
        assertThat(out.getFields().stream().map(Schema.Field::name))
                .containsExactly(
                        "id", "title", "director_id", "__op", "talent_id", "name", "alias", "tag");
        // left fields keep their types
        assertThat(out.getField("id").schema()).isEqualTo(type("\"long\""));
        assertThat(out.getField("title").schema()).isEqualTo(type("\"string\""));
        assertThat(out.getField("title").doc()).isEqualTo("the title");
        // right fields: ["null", T], default null, whatever they were
        assertThat(out.getField("talent_id").schema()).isEqualTo(type("[\"null\",\"long\"]"));
        assertThat(out.getField("name").schema()).isEqualTo(type("[\"null\",\"string\"]"));
        assertThat(out.getField("alias").schema()).isEqualTo(type("[\"null\",\"string\"]"));
        assertThat(out.getField("tag").schema()).isEqualTo(type("[\"null\",\"string\",\"int\"]"));
        for (String f : List.of("talent_id", "name", "alias", "tag")) {
            assertThat(out.getField(f).defaultVal())
                    .isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        }
        assertThat(planned.outputKind()).isEqualTo(StreamKind.CHANGELOG);
    }

    @Test
    void testKindDefaultsToInner() {
        PlannedProcessor planned =
                plan(
                        config("on", on("movies", "director_id", "talent", "id")),
                        MOVIES_IN,
                        TALENT_IN);
        assertThat(planned.outputSchema()).isEqualTo(moviesWithTalent(false).outputSchema());
        assertThat(planned.outputSchema().getField("name").schema()).isEqualTo(type("\"string\""));
    }

    @Test
    void testLineageNamesTheInputFieldOfEachOutputFieldAndTheJoinKeys() {
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("id", Set.of("movies.id", "movies.director_id", "talent.id"));
        expected.put("title", Set.of("movies.title", "movies.director_id", "talent.id"));
        expected.put("director_id", Set.of("movies.director_id", "talent.id"));
        expected.put("__op", Set.of("movies.__op", "movies.director_id", "talent.id"));
        expected.put("talent_id", Set.of("talent.id", "movies.director_id"));
        expected.put("name", Set.of("talent.name", "movies.director_id", "talent.id"));
        expected.put("born", Set.of("talent.born", "movies.director_id", "talent.id"));
        expected.put("talent___op", Set.of("talent.__op", "movies.director_id", "talent.id"));

        assertThat(moviesWithTalent(true).lineage()).containsExactlyEntriesOf(expected);
    }

    @Test
    void testPrefixOfARightIdWithCharactersAvroDoesNotAllow() {
        PlannedProcessor planned =
                plan(
                        config("on", on("movies", "director_id", "talent-v2", "id")),
                        MOVIES_IN,
                        changelog("talent-v2", TALENT));
        assertThat(planned.outputSchema().getField("talent_v2_id")).isNotNull();
        assertThat(planned.lineage().get("talent_v2_id"))
                .containsExactlyInAnyOrder("talent-v2.id", "movies.director_id");
    }

    @Test
    void testPrefixedNameTakenByALeftFieldIsRefused() {
        Schema left =
                record(
                        "Movie",
                        "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"talent_id\",\"type\":\"long\"}");
        assertRefused(
                config("on", on("movies", "talent_id", "talent", "id")),
                "/processors/1/inputs/1",
                "join 'enriched': field 'id' of 'talent' is also a field of 'movies', and its"
                        + " prefixed name 'talent_id' is taken too (by a field of 'movies');"
                        + " rename one of them with a project before the join",
                changelog("movies", left),
                TALENT_IN);
    }

    @Test
    void testPrefixedNameTakenByARightFieldIsRefused() {
        Schema right =
                record(
                        "Talent",
                        "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"talent_id\",\"type\":\"long\"}");
        assertRefused(
                config("on", on("movies", "director_id", "talent", "talent_id")),
                "/processors/1/inputs/1",
                "join 'enriched': field 'id' of 'talent' is also a field of 'movies', and its"
                        + " prefixed name 'talent_id' is taken too (by a field of 'talent');"
                        + " rename one of them with a project before the join",
                MOVIES_IN,
                changelog("talent", right));
    }

    @Test
    void testNamedTypeDefinedDifferentlyByTheInputsIsRefused() {
        Schema left =
                record(
                        "Movie",
                        "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\","
                                + "\"symbols\":[\"DRAFT\",\"RELEASED\"]}}");
        Schema right =
                record(
                        "Talent",
                        "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"state\",\"type\":{\"type\":\"enum\",\"name\":\"Status\","
                                + "\"symbols\":[\"ACTIVE\"]}}");
        assertThatThrownBy(
                        () ->
                                plan(
                                        config("on", on("movies", "id", "talent", "id")),
                                        changelog("movies", left),
                                        changelog("talent", right)))
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/processors/1/inputs"))
                .hasMessageStartingWith(
                        "join 'enriched': the joined schema of 'movies' and 'talent' is not valid"
                                + " Avro: ")
                .hasMessageContaining("test.Status");
    }

    @Test
    void testExactlyTwoInputs() {
        Map<String, Object> config = config("on", on("movies", "director_id", "talent", "id"));
        assertRefused(
                config,
                "/processors/1/inputs",
                "join 'enriched' reads exactly two inputs, [left, right], got 1",
                MOVIES_IN);
        assertRefused(
                config,
                "/processors/1/inputs",
                "join 'enriched' reads exactly two inputs, [left, right], got 3",
                MOVIES_IN,
                TALENT_IN,
                changelog("crew", TALENT));
        assertRefused(
                config("on", on("movies", "id")),
                "/processors/1/inputs/1",
                "join 'enriched' reads 'movies' as both inputs; its left and right inputs must be"
                        + " different nodes",
                MOVIES_IN,
                MOVIES_IN);
    }

    @Test
    void testOnMustNameBothInputs() {
        assertRefused(
                config("on", on("movies", "director_id")),
                "/processors/1/config/on/talent",
                "missing the join field of input 'talent' at /processors/1/config/on/talent; 'on'"
                        + " names the join field of each input: {\"movies\": \"<field>\","
                        + " \"talent\": \"<field>\"}",
                MOVIES_IN,
                TALENT_IN);
        assertRefused(
                config("on", on("talent", "id")),
                "/processors/1/config/on/movies",
                "missing the join field of input 'movies' at /processors/1/config/on/movies; 'on'"
                        + " names the join field of each input: {\"movies\": \"<field>\","
                        + " \"talent\": \"<field>\"}",
                MOVIES_IN,
                TALENT_IN);
    }

    @Test
    void testOnMustNameNothingElse() {
        assertRefused(
                config("on", on("movies", "director_id", "talent", "id", "people", "id")),
                "/processors/1/config/on/people",
                "'people' at /processors/1/config/on/people is not an input of join 'enriched';"
                        + " 'on' names the join field of each input: {\"movies\": \"<field>\","
                        + " \"talent\": \"<field>\"}",
                MOVIES_IN,
                TALENT_IN);
        assertRefused(
                config("on", on("movies", "director_id", "a/b", "id")),
                "/processors/1/config/on/a~1b",
                "'a/b' at /processors/1/config/on/a~1b is not an input of join 'enriched'; 'on'"
                        + " names the join field of each input: {\"movies\": \"<field>\","
                        + " \"talent\": \"<field>\"}",
                MOVIES_IN,
                TALENT_IN);
    }

    @Test
    void testOnIsRequiredAndAnObjectOfStrings() {
        assertRefused(
                config(),
                "/processors/1/config/on",
                "missing required key 'on' in /processors/1/config (join: an object whose values"
                        + " are strings; the join field of each input: {\"<left input id>\":"
                        + " \"<field>\", \"<right input id>\": \"<field>\"})",
                MOVIES_IN,
                TALENT_IN);
        assertRefused(
                config("on", "director_id = id"),
                "/processors/1/config/on",
                "/processors/1/config/on: expected an object whose values are strings, got"
                        + " \"director_id = id\"",
                MOVIES_IN,
                TALENT_IN);
    }

    @Test
    void testJoinFieldsMustExist() {
        assertRefused(
                config("on", on("movies", "director", "talent", "id")),
                "/processors/1/config/on/movies",
                "unknown field 'director' at /processors/1/config/on/movies; fields of input"
                        + " 'movies': id, title, director_id, __op",
                MOVIES_IN,
                TALENT_IN);
        assertRefused(
                config("on", on("movies", "director_id", "talent", "talent_id")),
                "/processors/1/config/on/talent",
                "unknown field 'talent_id' at /processors/1/config/on/talent; fields of input"
                        + " 'talent': id, name, born, __op",
                MOVIES_IN,
                TALENT_IN);
    }

    @Test
    void testJoinFieldOfATypeThatCannotBeJoinedIsRefused() {
        Schema left =
                record(
                        "Movie",
                        "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"cast\",\"type\":[\"null\",{\"type\":\"array\",\"items\":\"long\"}]}");
        assertRefused(
                config("on", on("movies", "cast", "talent", "id")),
                "/processors/1/config/on/movies",
                "field 'cast' of input 'movies' at /processors/1/config/on/movies is array of"
                        + " long; a join field must be a string, enum, int, long, float, double,"
                        + " boolean, bytes or fixed (nullable or not)",
                changelog("movies", left),
                TALENT_IN);
    }

    @Test
    void testJoinFieldsMustHaveCompatibleTypes() {
        assertRefused(
                config("on", on("movies", "director_id", "talent", "name")),
                "/processors/1/config/on/talent",
                "join fields do not match: 'director_id' of 'movies' is long but 'name' of"
                        + " 'talent' is string; allowed: the same type, int with long, string with"
                        + " enum",
                MOVIES_IN,
                TALENT_IN);
        Schema dated =
                record(
                        "Talent",
                        "{\"name\":\"id\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}");
        assertRefused(
                config("on", on("movies", "director_id", "talent", "id")),
                "/processors/1/config/on/talent",
                "join fields do not match: 'director_id' of 'movies' is long but 'id' of 'talent'"
                        + " is timestamp-millis (long); allowed: the same type, int with long,"
                        + " string with enum",
                MOVIES_IN,
                changelog("talent", dated));
    }

    @Test
    void testIntMeetsLongAndEnumMeetsString() {
        Schema left =
                record(
                        "Order",
                        "{\"name\":\"customer\",\"type\":\"int\"},"
                                + "{\"name\":\"tier\",\"type\":{\"type\":\"enum\",\"name\":\"Tier\","
                                + "\"symbols\":[\"GOLD\",\"SILVER\"]}}");
        Schema right =
                record(
                        "Customer",
                        "{\"name\":\"id\",\"type\":[\"null\",\"long\"]},"
                                + "{\"name\":\"tier_name\",\"type\":\"string\"}");
        StreamDescriptor orders = changelog("orders", left);
        StreamDescriptor customers = changelog("customers", right);
        assertThat(
                        plan(
                                        config("on", on("orders", "customer", "customers", "id")),
                                        orders,
                                        customers)
                                .outputSchema()
                                .getFields())
                .hasSize(4);
        assertThat(
                        plan(
                                        config(
                                                "on",
                                                on("orders", "tier", "customers", "tier_name")),
                                        orders,
                                        customers)
                                .outputSchema()
                                .getFields())
                .hasSize(4);
    }

    @Test
    void testBadKindAndTtlAreRefused() {
        Map<String, Object> on = on("movies", "director_id", "talent", "id");
        assertRefused(
                config("kind", "outer", "on", on),
                "/processors/1/config/kind",
                "/processors/1/config/kind: expected one of inner, left, got \"outer\"",
                MOVIES_IN,
                TALENT_IN);
        assertRefused(
                config("on", on, "ttl", "1 day"),
                "/processors/1/config/ttl",
                "/processors/1/config/ttl: expected an ISO-8601 duration such as \"PT30S\", got"
                        + " \"1 day\"",
                MOVIES_IN,
                TALENT_IN);
        assertRefused(
                config("on", on, "ttl", "PT0S"),
                "/processors/1/config/ttl",
                "/processors/1/config/ttl: expected a positive duration such as \"PT24H\", got"
                        + " \"PT0S\"",
                MOVIES_IN,
                TALENT_IN);
        assertThat(plan(config("on", on, "ttl", "PT24H"), MOVIES_IN, TALENT_IN).outputKind())
                .isEqualTo(StreamKind.CHANGELOG);
    }

    @Test
    void testTranslateConnectsBothInputsKeyedByTheirJoinFields() {
        PlannedProcessor planned = moviesWithTalent(true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        TypeInformation<SluiceRecord> type = TypeInformation.of(SluiceRecord.class);
        List<DataStream<SluiceRecord>> streams = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            streams.add(env.fromSequence(0, 0).map(x -> (SluiceRecord) null).returns(type));
        }
        List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();

        DataStream<SluiceRecord> result = planned.translate(streams, context(deadLetters));

        assertThat(result.getTransformation()).isInstanceOf(TwoInputTransformation.class);
        TwoInputTransformation<?, ?, ?> join =
                (TwoInputTransformation<?, ?, ?>) result.getTransformation();
        assertThat(join.getUid()).isEqualTo("sluice/studio/enriched/join");
        assertThat(join.getName()).isEqualTo("enriched: join");
        assertThat(join.getParallelism()).isEqualTo(2);
        assertThat(join.getOutputType())
                .isEqualTo(new SluiceRecordTypeInfo(planned.outputSchema()));
        assertThat(join.getStateKeyType()).isEqualTo(Types.STRING);
        assertThat(((JoinKeySelector) join.getStateKeySelector1()).field())
                .isEqualTo("director_id");
        assertThat(((JoinKeySelector) join.getStateKeySelector2()).field()).isEqualTo("id");
        assertThat(deadLetters).hasSize(1);
    }

    private static TranslationContext context(List<DataStream<DeadLetter>> deadLetters) {
        return new TranslationContext() {
            @Override
            public String uid(String suffix) {
                return "sluice/studio/enriched/" + suffix;
            }

            @Override
            public String operatorName(String suffix) {
                return "enriched: " + suffix;
            }

            @Override
            public int parallelism() {
                return 2;
            }

            @Override
            public TypeInformation<SluiceRecord> recordType(Schema schema) {
                return new SluiceRecordTypeInfo(schema);
            }

            @Override
            public void addDeadLetters(DataStream<DeadLetter> stream) {
                deadLetters.add(stream);
            }

            @Override
            public String transactionalIdPrefix() {
                return "sluice-studio-enriched";
            }

            @Override
            public String consumerGroupId() {
                return "sluice-studio-enriched";
            }
        };
    }
}

package dev.sluice.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryServer;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.EventTime;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.Delivery;
import dev.sluice.sdk.factory.NodeContext;
import dev.sluice.sdk.factory.PlatformContext;
import dev.sluice.sdk.factory.Provisioner;
import dev.sluice.sdk.factory.SourceFactory.PlannedSource;
import dev.sluice.sdk.factory.TopicSpec;
import dev.sluice.sdk.factory.TranslationContext;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Planning the {@code kafka} source against a real (in-memory) schema registry. */
class KafkaSourceFactoryTest {

    private static final Schema ORDER =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"customer\",\"type\":\"string\"}]}");

    private static final Schema ORDER_V2 =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"customer\",\"type\":\"string\"},"
                                    + "{\"name\":\"channel\",\"type\":\"string\",\"default\":\"web\"}]}");

    private static final Schema CUSTOMER_CHANGES =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"test\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"name\",\"type\":\"string\"},"
                                    + "{\"name\":\"__op\",\"type\":\"string\"}]}");

    private static final Schema EVENTS =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Event\",\"namespace\":\"test\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"name\",\"type\":\"string\"},"
                                    + "{\"name\":\"ts\",\"type\":{\"type\":\"long\","
                                    + "\"logicalType\":\"timestamp-millis\"}},"
                                    + "{\"name\":\"seen\",\"type\":[\"null\",\"long\"],\"default\":null},"
                                    + "{\"name\":\"at_us\",\"type\":{\"type\":\"long\","
                                    + "\"logicalType\":\"timestamp-micros\"}}]}");

    private static final KafkaSourceFactory FACTORY = new KafkaSourceFactory();

    private static SchemaRegistryServer registry;
    private static SchemaRegistryClient client;

    @BeforeAll
    static void startRegistry() {
        registry = SchemaRegistryServer.builder().port(0).build().start();
        client = new HttpSchemaRegistryClient(registry.url());
        registry.store().register("orders-value", ORDER);
        registry.store().register("customers-value", CUSTOMER_CHANGES);
        registry.store().register("orders-evolved-value", ORDER);
        registry.store().register("orders-evolved-value", ORDER_V2);
        registry.store().register("counts-value", Schema.create(Schema.Type.LONG));
        registry.store().register("events-value", EVENTS);
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    /** The registry and nothing else of the platform: Kafka is not contacted while planning. */
    private static final class TestPlatform implements PlatformContext {
        @Override
        public String kafkaBootstrapServers() {
            return "127.0.0.1:9092";
        }

        @Override
        public Map<String, String> kafkaClientProperties() {
            return Map.of();
        }

        @Override
        public String schemaRegistryUrl() {
            return registry.url();
        }

        @Override
        public SchemaRegistryClient schemaRegistry() {
            return client;
        }
    }

    /**
     * Source {@code orders-src} at {@code /sources/0}, its config validated as the controller does.
     */
    private static final class TestContext implements NodeContext {
        private final NodeOptions options;

        TestContext(Map<String, Object> config) {
            this.options =
                    NodeOptions.validate(
                            FACTORY.identifier(),
                            FACTORY.requiredOptions(),
                            FACTORY.optionalOptions(),
                            config,
                            "/sources/0/config");
        }

        @Override
        public String pipelineName() {
            return "shop";
        }

        @Override
        public String nodeId() {
            return "orders-src";
        }

        @Override
        public String pointer() {
            return "/sources/0";
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
            return new TestPlatform();
        }

        @Override
        public ClassLoader classLoader() {
            return KafkaSourceFactoryTest.class.getClassLoader();
        }
    }

    private static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> config = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    private static PlannedSource plan(Object... keysAndValues) {
        return FACTORY.plan(new TestContext(config(keysAndValues)));
    }

    private static ConfigValidationException planError(Object... keysAndValues) {
        return catchThrowableOfType(ConfigValidationException.class, () -> plan(keysAndValues));
    }

    @Test
    void testIdentifierAndOptions() {
        assertThat(FACTORY.identifier()).isEqualTo("kafka");
        assertThat(FACTORY.requiredOptions()).containsExactly(KafkaSourceOptions.TOPIC);
        assertThat(FACTORY.optionalOptions())
                .containsExactlyInAnyOrder(
                        KafkaSourceOptions.STARTING_OFFSETS,
                        KafkaSourceOptions.UPSERT,
                        KafkaSourceOptions.EVENT_TIME,
                        KafkaSourceOptions.STOPPING_OFFSETS);
    }

    @Test
    void testTopicWithoutSchemaPointsAtTopic() {
        ConfigValidationException e = planError("topic", "payments");

        assertThat(e.pointer()).isEqualTo("/sources/0/config/topic");
        assertThat(e.getMessage())
                .isEqualTo(
                        "topic 'payments' has no schema registered under subject"
                                + " 'payments-value' in the schema registry at "
                                + registry.url()
                                + "; register its Avro value schema first (produce with a"
                                + " registry-aware serializer)");
        assertThat(e.getMessage()).contains("no schema registered");
    }

    @Test
    void testOutputIsTheRegisteredSchemaAsAnAppendStream() {
        PlannedSource planned = plan("topic", "orders");

        StreamDescriptor output = planned.output();
        assertThat(output.nodeId()).isEqualTo("orders-src");
        assertThat(output.schema()).isEqualTo(ORDER);
        assertThat(output.kind()).isEqualTo(StreamKind.APPEND);
        assertThat(planned.topics()).containsExactly("orders");
    }

    @Test
    void testLatestVersionOfTheSubjectIsTheOutputSchema() {
        assertThat(plan("topic", "orders-evolved").output().schema()).isEqualTo(ORDER_V2);
    }

    @Test
    void testSchemaWithOpFieldIsAChangelog() {
        assertThat(plan("topic", "customers").output().kind()).isEqualTo(StreamKind.CHANGELOG);
    }

    @Test
    void testUpsertOptionOverridesTheOpField() {
        assertThat(plan("topic", "customers", "upsert", false).output().kind())
                .isEqualTo(StreamKind.APPEND);
        assertThat(plan("topic", "orders", "upsert", true).output().kind())
                .isEqualTo(StreamKind.CHANGELOG);
    }

    @Test
    void testUnknownStartingOffsetsNamesTheAllowedValues() {
        ConfigValidationException e = planError("topic", "orders", "startingOffsets", "yesterday");

        assertThat(e.pointer()).isEqualTo("/sources/0/config/startingOffsets");
        assertThat(e.getMessage())
                .isEqualTo(
                        "/sources/0/config/startingOffsets: expected earliest, latest or an"
                                + " epoch-millis timestamp, got \"yesterday\"");
    }

    @Test
    void testStartingOffsetsAcceptsEarliestLatestAndATimestamp() {
        assertThat(plan("topic", "orders", "startingOffsets", "earliest").output().schema())
                .isEqualTo(ORDER);
        assertThat(plan("topic", "orders", "startingOffsets", "latest").output().schema())
                .isEqualTo(ORDER);
        assertThat(plan("topic", "orders", "startingOffsets", "1700000000000").output().schema())
                .isEqualTo(ORDER);
    }

    @Test
    void testBlankTopicPointsAtTopic() {
        ConfigValidationException e = planError("topic", "  ");

        assertThat(e.pointer()).isEqualTo("/sources/0/config/topic");
        assertThat(e.getMessage()).isEqualTo("topic must not be empty");
    }

    @Test
    void testNonRecordValueSchemaIsRefused() {
        ConfigValidationException e = planError("topic", "counts");

        assertThat(e.pointer()).isEqualTo("/sources/0/config/topic");
        assertThat(e.getMessage())
                .isEqualTo(
                        "the value schema of topic 'counts' is LONG; Sluice reads Avro records"
                                + " only");
    }

    @Test
    void testUnknownConfigKeyIsRefusedBeforePlanning() {
        ConfigValidationException e =
                catchThrowableOfType(
                        ConfigValidationException.class,
                        () -> new TestContext(config("topic", "orders", "startOffsets", "latest")));

        assertThat(e.pointer()).isEqualTo("/sources/0/config/startOffsets");
        assertThat(e.getMessage())
                .isEqualTo(
                        "unknown key 'startOffsets' at /sources/0/config/startOffsets; allowed"
                                + " keys for 'kafka': eventTime, startingOffsets, stoppingOffsets, topic, upsert");
    }

    @Test
    void testProvisionEnsuresTheTopicAndThePipelinesReplayTopic() {
        List<TopicSpec> topics = new ArrayList<>();
        Provisioner provisioner =
                new Provisioner() {
                    @Override
                    public void ensureTopic(TopicSpec topic) {
                        topics.add(topic);
                    }

                    @Override
                    public int registerSchema(String subject, Schema schema) {
                        throw new AssertionError("a kafka source registers no schema");
                    }
                };

        plan("topic", "orders").provision(provisioner);

        assertThat(topics)
                .extracting(TopicSpec::name)
                .containsExactly("orders", "sluice.replay.shop");
        assertThat(topics.get(0).partitions()).isEqualTo(1);
        assertThat(topics.get(0).configs()).isEmpty();
    }

    @Test
    void testEventTimeIsDeclaredOnTheOutputWithDefaults() {
        StreamDescriptor output =
                plan("topic", "events", "eventTime", Map.of("field", "ts")).output();

        assertThat(output.eventTime())
                .contains(new EventTime("ts", Duration.ofSeconds(5), Duration.ofSeconds(30)));
        assertThat(plan("topic", "events").output().eventTime()).isEmpty();
    }

    @Test
    void testEventTimeTakesDurationsAndPlainOrNullableLongs() {
        StreamDescriptor output =
                plan(
                                "topic",
                                "events",
                                "eventTime",
                                Map.of(
                                        "field",
                                        "seen",
                                        "maxOutOfOrderness",
                                        "PT1M",
                                        "idleTimeout",
                                        "PT0S"))
                        .output();

        assertThat(output.eventTime())
                .contains(new EventTime("seen", Duration.ofMinutes(1), Duration.ZERO));
        assertThat(
                        plan("topic", "events", "eventTime", Map.of("field", "at_us"))
                                .output()
                                .eventTime())
                .map(EventTime::field)
                .contains("at_us");
    }

    @Test
    void testEventTimeFieldMustBeAFieldOfTheTopic() {
        ConfigValidationException e =
                planError("topic", "events", "eventTime", Map.of("field", "time"));

        assertThat(e.pointer()).isEqualTo("/sources/0/config/eventTime/field");
        assertThat(e.getMessage())
                .isEqualTo(
                        "'time' at /sources/0/config/eventTime/field is not a field of topic"
                                + " 'events'; its fields are: id, name, ts, seen, at_us");
    }

    @Test
    void testEventTimeFieldMustBeALong() {
        ConfigValidationException e =
                planError("topic", "events", "eventTime", Map.of("field", "name"));

        assertThat(e.pointer()).isEqualTo("/sources/0/config/eventTime/field");
        assertThat(e.getMessage())
                .isEqualTo(
                        "field 'name' of topic 'events' has type string; an event time is a long"
                                + " of epoch milliseconds or a timestamp-millis/timestamp-micros"
                                + " long");
    }

    @Test
    void testEventTimeFieldIsRequired() {
        ConfigValidationException e =
                planError("topic", "events", "eventTime", Map.of("maxOutOfOrderness", "PT5S"));

        assertThat(e.pointer()).isEqualTo("/sources/0/config/eventTime/field");
        assertThat(e.getMessage())
                .isEqualTo(
                        "missing required key 'field' in /sources/0/config/eventTime: the value"
                                + " field that holds the event time");
    }

    @Test
    void testEventTimeDurationsMustBeIso8601() {
        ConfigValidationException e =
                planError(
                        "topic",
                        "events",
                        "eventTime",
                        Map.of("field", "ts", "idleTimeout", "30s"));

        assertThat(e.pointer()).isEqualTo("/sources/0/config/eventTime/idleTimeout");
        assertThat(e.getMessage())
                .isEqualTo(
                        "/sources/0/config/eventTime/idleTimeout: expected a non-negative ISO-8601"
                                + " duration such as \"PT5S\", got \"30s\"");
    }

    @Test
    void testEventTimeUnknownKeyNamesTheAllowedKeys() {
        ConfigValidationException e =
                planError(
                        "topic", "events", "eventTime", Map.of("field", "ts", "lateness", "PT1S"));

        assertThat(e.pointer()).isEqualTo("/sources/0/config/eventTime/lateness");
        assertThat(e.getMessage())
                .isEqualTo(
                        "unknown key 'lateness' at /sources/0/config/eventTime/lateness; allowed"
                                + " keys for 'eventTime': field, idleTimeout, maxOutOfOrderness");
    }

    @Test
    void testEventTimeSourceAssignsWatermarksWithAStableUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<SluiceRecord> out =
                plan("topic", "events", "eventTime", Map.of("field", "ts"))
                        .translate(env, new TestTranslation());

        assertThat(out.getTransformation().getUid()).isEqualTo("sluice/shop/orders-src/watermarks");
        assertThat(out.getTransformation().getInputs().get(0).getUid())
                .isEqualTo("sluice/shop/orders-src/decode");
    }

    @Test
    void testEventTimeIsTheFieldInMillisElseTheKafkaTimestamp() {
        KafkaEventTime.Assigner millis = new KafkaEventTime.Assigner("ts", false);
        KafkaEventTime.Assigner micros = new KafkaEventTime.Assigner("at_us", true);
        GenericData.Record event = new GenericData.Record(EVENTS);
        event.put("ts", 1_700_000_000_123L);
        event.put("at_us", 1_700_000_000_123_456L);

        assertThat(millis.extractTimestamp(SluiceRecord.of(null, event, 5L), 0L))
                .isEqualTo(1_700_000_000_123L);
        assertThat(micros.extractTimestamp(SluiceRecord.of(null, event, 5L), 0L))
                .isEqualTo(1_700_000_000_123L);
        assertThat(
                        new KafkaEventTime.Assigner("seen", false)
                                .extractTimestamp(SluiceRecord.of(null, event, 5L), 0L))
                .isEqualTo(5L);
        assertThat(millis.extractTimestamp(SluiceRecord.of(null, null, 7L), 0L)).isEqualTo(7L);
    }

    /** Uids and names as the platform derives them. */
    private static final class TestTranslation implements TranslationContext {
        @Override
        public String uid(String suffix) {
            return "sluice/shop/orders-src/" + suffix;
        }

        @Override
        public String operatorName(String suffix) {
            return "orders-src: " + suffix;
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public TypeInformation<SluiceRecord> recordType(Schema schema) {
            return new SluiceRecordTypeInfo(schema);
        }

        @Override
        public void addDeadLetters(DataStream<DeadLetter> deadLetters) {}

        @Override
        public String transactionalIdPrefix() {
            return "t";
        }

        @Override
        public String consumerGroupId() {
            return "g";
        }
    }
}

package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running pipelines follow their source topics' schemas: a pass-through pipeline is upgraded to
 * carry a new column, an explicit projection keeps its shape and its job, a pipeline that uses a
 * dropped field is blocked with the reason, and resumes once fixed.
 */
class SchemaEvolutionITCase {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir static Path dataDir;
    private static KafkaEnvironment kafka;
    private static PlatformHarness platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        kafka = KafkaEnvironment.choose();
        platform = new PlatformHarness(dataDir, kafka).start();
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String pipeline(String name, String processor, String output) {
        return pipeline(name, processor, output, "evolve");
    }

    private static String pipeline(String name, String processor, String output, String evolution) {
        return "{\"options\": {\"schemaEvolution\": \""
                + evolution
                + "\"}, \"name\": \""
                + name
                + "\", \"sources\": [{\"id\": \"orders\", \"type\": \"kafka\", \"config\":"
                + " {\"topic\": \"it.evo.orders\"}}], \"processors\": ["
                + processor
                + "], \"sinks\": [{\"id\": \"out\", \"type\": \"kafka\", \"inputs\": [\"p\"],"
                + " \"config\": {\"topic\": \""
                + output
                + "\"}}]}";
    }

    private static String filter(String condition) {
        return "{\"id\": \"p\", \"type\": \"filter\", \"inputs\": [\"orders\"], \"config\":"
                + " {\"condition\": \""
                + condition
                + "\"}}";
    }

    private static String project(String fields) {
        return "{\"id\": \"p\", \"type\": \"project\", \"inputs\": [\"orders\"], \"config\":"
                + " {\"fields\": {"
                + fields
                + "}}}";
    }

    private static Schema withRegion(Schema base, boolean dropQty) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            if (!(dropQty && f.name().equals("qty"))) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        fields.add(
                new Schema.Field(
                        "region",
                        Schema.createUnion(
                                Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                        null,
                        org.apache.avro.JsonProperties.NULL_VALUE));
        return Schema.createRecord(base.getName(), null, base.getNamespace(), false, fields);
    }

    private static List<GenericRecord> regional(Schema schema, long from, long to) {
        List<GenericRecord> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            GenericRecord v1 = Orders.order(i);
            GenericRecord r = new GenericData.Record(schema);
            for (Schema.Field f : schema.getFields()) {
                r.put(f.name(), f.name().equals("region") ? "eu" : v1.get(f.name()));
            }
            out.add(r);
        }
        return out;
    }

    private static String jobId(String pipeline) throws Exception {
        return platform.call("GET", "/api/v1/pipelines/" + pipeline, null)
                .json()
                .path("jobId")
                .asText();
    }

    @Test
    void pipelinesFollowTheirSourceSchemas() throws Exception {
        platform.produce("it.evo.orders", Orders.SCHEMA, Orders.keys(0, 3), Orders.orders(0, 3));
        for (String[] p :
                new String[][] {
                    {"evo-pass", filter("amount >= 0"), "it.evo.pass"},
                    {"evo-proj", project("\"order_id\": \"id\""), "it.evo.proj"},
                    {"evo-qty", project("\"q\": \"qty\""), "it.evo.qty", "evolve"},
                    {"evo-frozen", filter("amount >= 0"), "it.evo.frozen", "freeze"},
                    {"evo-fail", filter("amount >= 0"), "it.evo.fail", "fail"}
                }) {
            PlatformHarness.Response r =
                    platform.call(
                            "PUT",
                            "/api/v1/pipelines/" + p[0],
                            pipeline(p[0], p[1], p[2], p.length > 3 ? p[3] : "evolve"));
            assertThat(r.status).as(r.body).isEqualTo(201);
        }
        // A join on qty, with a table of levels.
        Schema levels =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Level\",\"namespace\":\"it\","
                                        + "\"fields\":[{\"name\":\"level\",\"type\":\"int\"},"
                                        + "{\"name\":\"label\",\"type\":\"string\"}]}");
        GenericRecord low = new GenericData.Record(levels);
        low.put("level", 1);
        low.put("label", "low");
        platform.produce(
                "it.evo.levels",
                levels,
                List.of("1".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                List.of(low));
        PlatformHarness.Response join =
                platform.call(
                        "PUT",
                        "/api/v1/pipelines/evo-join",
                        "{\"name\": \"evo-join\", \"sources\": [{\"id\": \"orders\", \"type\":"
                                + " \"kafka\", \"config\": {\"topic\": \"it.evo.orders\"}}, {\"id\":"
                                + " \"levels\", \"type\": \"kafka\", \"config\": {\"topic\":"
                                + " \"it.evo.levels\", \"upsert\": true}}], \"processors\": [{\"id\":"
                                + " \"j\", \"type\": \"join\", \"inputs\": [\"orders\", \"levels\"],"
                                + " \"config\": {\"kind\": \"left\", \"on\": {\"orders\": \"qty\","
                                + " \"levels\": \"level\"}}}], \"sinks\": [{\"id\": \"out\", \"type\":"
                                + " \"kafka\", \"inputs\": [\"j\"], \"config\": {\"topic\":"
                                + " \"it.evo.join\"}}]}");
        assertThat(join.status).as(join.body).isEqualTo(201);
        for (String name :
                List.of("evo-pass", "evo-proj", "evo-qty", "evo-frozen", "evo-fail", "evo-join")) {
            platform.awaitState(name, "RUNNING", WAIT);
        }
        String frozenJob = jobId("evo-frozen");
        assertThat(platform.consume("it.evo.pass", 3, WAIT)).hasSize(3);
        String passJob = jobId("evo-pass");
        String projJob = jobId("evo-proj");

        // v2 adds a nullable column: the pass-through pipeline is upgraded to carry it.
        Schema v2 = withRegion(Orders.SCHEMA, false);
        platform.registry().register("it.evo.orders-value", v2);
        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            JsonNode p =
                                    platform.call("GET", "/api/v1/pipelines/evo-pass", null).json();
                            return p.path("state").asText().equals("RUNNING")
                                    && !p.path("jobId").asText().equals(passJob);
                        });
        platform.produce("it.evo.orders", v2, Orders.keys(3, 6), regional(v2, 3, 6));
        List<GenericRecord> pass = platform.decode(platform.consume("it.evo.pass", 6, WAIT));
        assertThat(pass).hasSize(6);
        assertThat(pass.subList(3, 6))
                .allSatisfy(r -> assertThat(r.get("region").toString()).isEqualTo("eu"));
        assertThat(
                        platform.registry()
                                .getLatest("it.evo.pass-value")
                                .get()
                                .schema()
                                .getField("region"))
                .isNotNull();
        // The explicit projection keeps its shape and its job.
        assertThat(jobId("evo-proj")).isEqualTo(projJob);
        List<GenericRecord> proj = platform.decode(platform.consume("it.evo.proj", 6, WAIT));
        assertThat(proj).hasSize(6);
        // freeze keeps the job and the shape; fail stops the pipeline, naming the change.
        assertThat(jobId("evo-frozen")).isEqualTo(frozenJob);
        List<GenericRecord> frozen = platform.decode(platform.consume("it.evo.frozen", 6, WAIT));
        assertThat(frozen).hasSize(6);
        assertThat(frozen.get(5).getSchema().getField("region")).isNull();
        JsonNode failed = platform.awaitState("evo-fail", "FAILED", WAIT);
        assertThat(failed.path("reason").asText())
                .isEqualTo(
                        "topic 'it.evo.orders' has schema version 2 (id "
                                + platform.registry().getLatest("it.evo.orders-value").get().id()
                                + ") and options.schemaEvolution is 'fail'; apply the pipeline"
                                + " again to take the new schema");
        assertThat(proj.get(5).getSchema().getFields())
                .extracting(Schema.Field::name)
                .containsExactly("order_id");

        // v3 drops qty: the pipeline that projects it is blocked, naming the field.
        Schema v3 = withRegion(Orders.SCHEMA, true);
        platform.registry().register("it.evo.orders-value", v3);
        JsonNode blocked = platform.awaitState("evo-qty", "BLOCKED", WAIT);
        assertThat(blocked.path("reason").asText())
                .startsWith("topic 'it.evo.orders' has schema version 3")
                .contains("qty", "/processors/0/config/fields/q");
        assertThat(jobId("evo-proj")).isEqualTo(projJob);
        // The join keyed on qty is blocked too, naming its join field.
        JsonNode joinBlocked = platform.awaitState("evo-join", "BLOCKED", WAIT);
        assertThat(joinBlocked.path("reason").asText())
                .startsWith("topic 'it.evo.orders' has schema version 3")
                .contains("qty", "/processors/0/config/on");

        // Fixed, it runs again.
        PlatformHarness.Response fixed =
                platform.call(
                        "PUT",
                        "/api/v1/pipelines/evo-qty",
                        pipeline("evo-qty", project("\"r\": \"region\""), "it.evo.region"));
        assertThat(fixed.status).as(fixed.body).isEqualTo(200);
        platform.awaitState("evo-qty", "RUNNING", WAIT);
        platform.produce("it.evo.orders", v3, Orders.keys(6, 7), regional(v3, 6, 7));
        List<GenericRecord> region = platform.decode(platform.consume("it.evo.region", 1, WAIT));
        assertThat(region.get(region.size() - 1).get("r").toString()).isEqualTo("eu");
    }
}

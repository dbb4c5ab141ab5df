package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * The processors issue's end-to-end case: two order streams unioned, validated by an expression,
 * enriched with a customers table by a join, checked by a quality gate, into Kafka — with poison
 * input of every kind dead-lettered under the right node while good records flow, and a replay
 * after a fix delivering the dead-lettered records exactly once.
 */
class MeshPipelineITCase {
    private static final Schema US =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"UsOrder\",\"namespace\":\"it\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"customer\",\"type\":\"string\"},"
                                    + "{\"name\":\"amount\",\"type\":\"double\"},"
                                    + "{\"name\":\"status\",\"type\":\"string\"}]}");
    private static final Schema CUSTOMER =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"it\",\"fields\":["
                                    + "{\"name\":\"name\",\"type\":\"string\"},"
                                    + "{\"name\":\"tier\",\"type\":\"string\"}]}");

    @TempDir static Path dataDir;
    private static KafkaEnvironment kafka;
    private static PlatformHarness platform;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaEnvironment.choose();
        platform = new PlatformHarness(dataDir, kafka).start();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String pipeline(String condition) {
        return "{\"name\": \"mesh\", \"sources\": ["
                + "{\"id\": \"eu\", \"type\": \"kafka\", \"config\": {\"topic\": \"mesh.orders.eu\"}},"
                + "{\"id\": \"us\", \"type\": \"kafka\", \"config\": {\"topic\": \"mesh.orders.us\"}},"
                + "{\"id\": \"customers\", \"type\": \"kafka\", \"config\": {\"topic\": \"mesh.customers\"}}],"
                + " \"processors\": ["
                + "{\"id\": \"all\", \"type\": \"union\", \"inputs\": [\"eu\", \"us\"]},"
                + "{\"id\": \"valid\", \"type\": \"filter\", \"inputs\": [\"all\"],"
                + " \"config\": {\"condition\": \""
                + condition
                + "\"}},"
                + "{\"id\": \"enriched\", \"type\": \"join\", \"inputs\": [\"valid\", \"customers\"],"
                + " \"config\": {\"kind\": \"left\", \"on\": {\"valid\": \"customer\", \"customers\": \"name\"}}},"
                + "{\"id\": \"gate\", \"type\": \"quality-gate\", \"inputs\": [\"enriched\"],"
                + " \"config\": {\"rules\": [{\"rule\": \"range\", \"field\": \"amount\", \"min\": 0}]}}],"
                + " \"sinks\": [{\"id\": \"out\", \"type\": \"kafka\", \"inputs\": [\"gate\"],"
                + " \"config\": {\"topic\": \"mesh.out\"}}]}";
    }

    private static java.util.Map<Long, GenericRecord> latestById(List<GenericRecord> records) {
        java.util.Map<Long, GenericRecord> latest = new java.util.LinkedHashMap<>();
        records.forEach(r -> latest.put((Long) r.get("id"), r));
        return latest;
    }

    @Test
    void unionJoinGatePipelineDeadLettersEveryPoisonAndReplaysAfterAFixExactlyOnce()
            throws Exception {
        List<GenericRecord> customers = new ArrayList<>();
        String[][] rows = {
            {"ada", "gold"}, {"grace", "silver"}, {"linus", "bronze"}, {"bob", "blue"}
        };
        List<byte[]> customerKeys = new ArrayList<>();
        for (String[] row : rows) {
            GenericRecord c = new GenericData.Record(CUSTOMER);
            c.put("name", row[0]);
            c.put("tier", row[1]);
            customers.add(c);
            customerKeys.add(row[0].getBytes(StandardCharsets.UTF_8));
        }
        platform.produce("mesh.customers", CUSTOMER, customerKeys, customers);
        platform.produce("mesh.orders.eu", Orders.SCHEMA, Orders.keys(0, 10), Orders.orders(0, 10));
        List<GenericRecord> us = new ArrayList<>();
        String[] usCustomers = {"bob", "carol", "dave"};
        double[] usAmounts = {5, -1, 7};
        for (int i = 0; i < 3; i++) {
            GenericRecord r = new GenericData.Record(US);
            r.put("id", 100L + i);
            r.put("customer", usCustomers[i]);
            r.put("amount", usAmounts[i]);
            r.put("status", "PAID");
            us.add(r);
        }
        platform.produce("mesh.orders.us", US, Orders.keys(100, 103), us);
        // Poison of every kind a source can meet: not Confluent framing, an unknown schema id,
        // and a known id with a corrupt Avro payload.
        int ordersId = platform.registry().getLatest("mesh.orders.eu-value").orElseThrow().id();
        platform.produceRaw(
                "mesh.orders.eu",
                List.of(Orders.key(900), Orders.key(901), Orders.key(902)),
                List.of(
                        "plain text".getBytes(StandardCharsets.UTF_8),
                        ByteBuffer.allocate(9).put((byte) 0).putInt(9999).array(),
                        ByteBuffer.allocate(6)
                                .put((byte) 0)
                                .putInt(ordersId)
                                .put((byte) 0x7f)
                                .array()));

        // "id / qty" fails where qty = 0 (ids 0 and 5): an expression error per record.
        PlatformHarness.Response applied =
                platform.call(
                        "PUT", "/api/v1/pipelines/mesh", pipeline("qty IS NULL OR id / qty >= 0"));
        assertThat(applied.status).as(applied.body).isEqualTo(201);
        platform.awaitState("mesh", "RUNNING", Duration.ofSeconds(90));

        // The output is a changelog keyed by the order: a left-joined row can come first with no
        // customer and be updated in place when the customer row arrives. Judge the latest per key.
        java.util.Map<Long, GenericRecord> latest =
                latestById(
                        platform.decode(platform.consume("mesh.out", 10, Duration.ofSeconds(60))));
        assertThat(latest.keySet())
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 100L, 102L);
        java.util.Map<String, String> tiers =
                java.util.Map.of(
                        "ada", "gold", "grace", "silver", "linus", "bronze", "bob", "blue");
        for (GenericRecord r : latest.values()) {
            Object tier = r.get("tier");
            assertThat(tier == null ? null : tier.toString())
                    .as("tier of order %s", r.get("id"))
                    .isEqualTo(tiers.get(r.get("customer").toString()));
        }

        List<GenericRecord> dead =
                platform.decode(platform.consume("sluice.dlq.mesh", 6, Duration.ofSeconds(60)));
        List<String> reasons = new ArrayList<>();
        dead.forEach(
                d ->
                        reasons.add(
                                d.get("processor_id")
                                        + " "
                                        + new String(
                                                ((ByteBuffer) d.get("original_key")).array(),
                                                StandardCharsets.UTF_8)));
        assertThat(reasons)
                .containsExactlyInAnyOrder(
                        "eu order-900",
                        "eu order-901",
                        "eu order-902",
                        "valid order-0",
                        "valid order-5",
                        "gate order-101");
        for (GenericRecord d : dead) {
            String key =
                    new String(
                            ((ByteBuffer) d.get("original_key")).array(), StandardCharsets.UTF_8);
            String message = d.get("error_message").toString();
            switch (key) {
                case "order-900":
                    assertThat(message).contains("magic byte");
                    break;
                case "order-901":
                    assertThat(message).contains("unknown schema id 9999");
                    break;
                case "order-902":
                    assertThat(message).contains("corrupt Avro payload");
                    break;
                case "order-101":
                    assertThat(message).contains("rule 0 (range)", "below min 0");
                    break;
                default:
                    assertThat(message).containsIgnoringCase("division by zero");
            }
        }

        // The fix, then a replay of the filter's dead letters: they arrive exactly once.
        PlatformHarness.Response fixed =
                platform.call(
                        "PUT",
                        "/api/v1/pipelines/mesh",
                        pipeline("qty IS NULL OR qty = 0 OR id / qty >= 0"));
        assertThat(fixed.status).as(fixed.body).isEqualTo(200);
        platform.awaitState("mesh", "RUNNING", Duration.ofSeconds(90));
        // A filter that matches nothing replays nothing (and marks nothing as replayed).
        PlatformHarness.Response none =
                platform.call(
                        "POST",
                        "/api/v1/pipelines/mesh/dead-letters/replay",
                        "{\"reason\": \"no such error\"}");
        assertThat(none.status).as(none.body).isEqualTo(202);
        assertThat(none.json().path("replayed").asInt()).isZero();
        PlatformHarness.Response badKey =
                platform.call(
                        "POST",
                        "/api/v1/pipelines/mesh/dead-letters/replay",
                        "{\"node\": \"valid\"}");
        assertThat(badKey.status).isEqualTo(400);
        assertThat(badKey.json().path("error").asText())
                .isEqualTo("unknown key 'node' at /node; allowed keys: processor, reason");
        PlatformHarness.Response replay =
                platform.call(
                        "POST",
                        "/api/v1/pipelines/mesh/dead-letters/replay",
                        "{\"processor\": \"valid\", \"reason\": \"DIVISION BY ZERO\"}");
        assertThat(replay.status).as(replay.body).isEqualTo(202);
        assertThat(replay.json().path("replayed").asInt()).isEqualTo(2);
        List<GenericRecord> after =
                platform.decode(platform.consume("mesh.out", 12, Duration.ofSeconds(60)));
        assertThat(latestById(after).keySet())
                .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 100L, 102L);
        assertThat(after.stream().filter(r -> (Long) r.get("id") == 0L || (Long) r.get("id") == 5L))
                .as("each replayed record arrives exactly once")
                .extracting(r -> r.get("id") + " " + r.get("tier"))
                .containsExactlyInAnyOrder("0 gold", "5 bronze");
        assertThat(
                        platform.call("POST", "/api/v1/pipelines/mesh/dead-letters/replay", "{}")
                                .json()
                                .path("replayed")
                                .asInt())
                .as("only the never-replayed poison and the gate's dead letter remain")
                .isEqualTo(4);
    }
}

package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's end-to-end behaviour on one embedded platform (real KRaft broker, real Flink
 * MiniCluster, the registry), driven over HTTP like a user: exact output, dead letters, bad input,
 * pause/resume and update.
 */
class PipelineITCase {
    private static final Duration DEPLOY = Duration.ofSeconds(90);

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

    @Test
    void filterProjectPipelineWritesExactlyTheTransformedRecordsOnce() throws Exception {
        platform.produce("it.orders.a", Orders.SCHEMA, Orders.keys(0, 300), Orders.orders(0, 300));

        PlatformHarness.Response applied =
                platform.call(
                        "PUT",
                        "/api/v1/pipelines/paid-a",
                        Orders.pipeline(
                                "paid-a",
                                "it.orders.a",
                                "it.paid.a",
                                "status = 'PAID' AND amount >= 10"));
        assertThat(applied.status).as(applied.body).isEqualTo(201);
        assertThat(applied.json().path("state").asText()).isIn("DEPLOYING", "RUNNING");

        JsonNode running = platform.awaitState("paid-a", "RUNNING", DEPLOY);
        String jobId = running.path("jobId").asText();
        assertThat(jobId).hasSize(32);
        assertThat(running.path("jobIds").get(0).asText()).isEqualTo(jobId);
        assertThat(running.path("topics").path("outputs").toString())
                .contains("it.paid.a", "sluice.dlq.paid-a");

        // The job is visible in the Flink dashboard's REST API.
        HttpResponse<String> overview =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        platform.platform().flinkUrl()
                                                                + "/jobs/overview"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        JsonNode jobs = PlatformHarness.JSON.readTree(overview.body()).path("jobs");
        List<String> runningJobs = new ArrayList<>();
        jobs.forEach(
                j -> {
                    if (j.path("state").asText().equals("RUNNING")) {
                        runningJobs.add(j.path("jid").asText() + " " + j.path("name").asText());
                    }
                });
        assertThat(runningJobs).contains(jobId + " sluice:paid-a");
        // describe's plan shows the job's tasks: the stateless chain fused into one task.
        // (Flink's REST view of a job lags it by its cache interval, ~3 s.)
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            JsonNode tasks =
                                    platform.call("GET", "/api/v1/pipelines/paid-a", null)
                                            .json()
                                            .path("plan")
                                            .path("jobs")
                                            .get(0)
                                            .path("tasks");
                            List<String> chains = new ArrayList<>();
                            tasks.forEach(t -> chains.add(t.path("operators").toString()));
                            assertThat(chains)
                                    .as(tasks.toString())
                                    .contains(
                                            "[\"Source: orders: kafka\",\"orders: decode\","
                                                    + "\"paid: filter\",\"slim: project\","
                                                    + "\"out: kafka:it.paid.a: Writer\","
                                                    + "\"out: kafka:it.paid.a: Committer\"]");
                        });

        // Records produced while it runs flow too.
        platform.produce(
                "it.orders.a", Orders.SCHEMA, Orders.keys(300, 400), Orders.orders(300, 400));

        List<Long> expectedIds = new ArrayList<>();
        for (long i = 10; i < 400; i++) {
            if (i % 2 == 0) {
                expectedIds.add(i);
            }
        }
        List<ConsumerRecord<byte[], byte[]>> out =
                platform.consume("it.paid.a", expectedIds.size(), Duration.ofSeconds(60));
        List<GenericRecord> values = platform.decode(out);
        assertThat(values).hasSize(expectedIds.size());
        for (int i = 0; i < values.size(); i++) {
            long id = expectedIds.get(i);
            GenericRecord v = values.get(i);
            assertThat(v.get("order_id")).isEqualTo(id);
            assertThat(v.get("customer").toString())
                    .isEqualTo(Orders.order(id).get("customer").toString().toUpperCase());
            assertThat(v.get("amount")).isEqualTo((double) id);
            assertThat(new String(out.get(i).key(), StandardCharsets.UTF_8))
                    .isEqualTo("order-" + id);
        }

        // The derived output schema was registered under <topic>-value.
        Schema registered = platform.registry().getLatest("it.paid.a-value").orElseThrow().schema();
        assertThat(registered.getFields())
                .extracting(Schema.Field::name)
                .containsExactly("order_id", "customer", "amount");
    }

    @Test
    void poisonRecordsAndEvaluationErrorsAreDeadLetteredWhileGoodRecordsFlow() throws Exception {
        platform.produce("it.orders.b", Orders.SCHEMA, Orders.keys(0, 40), Orders.orders(0, 40));
        byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(9999).array();
        platform.produceRaw(
                "it.orders.b",
                List.of(Orders.key(1000), Orders.key(1001)),
                List.of("not avro at all".getBytes(StandardCharsets.UTF_8), unknownId));

        String pipeline =
                "{\"name\": \"dlq-b\", \"sources\": [{\"id\": \"orders\", \"type\": \"kafka\","
                        + " \"config\": {\"topic\": \"it.orders.b\"}}],"
                        + " \"processors\": [{\"id\": \"paid\", \"type\": \"filter\", \"inputs\":"
                        + " [\"orders\"], \"config\": {\"condition\": \"status = 'PAID'\"}},"
                        + " {\"id\": \"slim\", \"type\": \"project\", \"inputs\": [\"paid\"],"
                        + " \"config\": {\"fields\": {\"order_id\": \"id\", \"per_unit\": \"id /"
                        + " qty\"}}}],"
                        + " \"sinks\": [{\"id\": \"out\", \"type\": \"kafka\", \"inputs\":"
                        + " [\"slim\"], \"config\": {\"topic\": \"it.paid.b\"}}]}";
        PlatformHarness.Response applied =
                platform.call("PUT", "/api/v1/pipelines/dlq-b", pipeline);
        assertThat(applied.status).as(applied.body).isEqualTo(201);
        platform.awaitState("dlq-b", "RUNNING", DEPLOY);

        // PAID orders are i % 4 in {0, 2}; those with qty = i % 5 = 0 fail on "id / qty".
        List<Long> good = new ArrayList<>();
        List<Long> failing = new ArrayList<>();
        for (long i = 0; i < 40; i++) {
            if (i % 4 == 0 || i % 4 == 2) {
                (i % 5 == 0 ? failing : good).add(i);
            }
        }
        assertThat(failing).containsExactly(0L, 10L, 20L, 30L);
        List<GenericRecord> out =
                platform.decode(platform.consume("it.paid.b", good.size(), Duration.ofSeconds(60)));
        assertThat(out).extracting(r -> (Long) r.get("order_id")).containsExactlyElementsOf(good);
        assertThat(out.get(0).get("per_unit")).isEqualTo(good.get(0) / (good.get(0) % 5));

        List<GenericRecord> dead =
                platform.decode(platform.consume("sluice.dlq.dlq-b", 6, Duration.ofSeconds(60)));
        assertThat(dead).hasSize(6);
        List<String> summary = new ArrayList<>();
        for (GenericRecord d : dead) {
            summary.add(
                    d.get("processor_id")
                            + " "
                            + d.get("source_topic")
                            + " "
                            + new String(
                                    ((ByteBuffer) d.get("original_key")).array(),
                                    StandardCharsets.UTF_8));
            assertThat(d.get("attempt")).isEqualTo(1);
            assertThat(d.get("source_offset")).isNotNull();
            assertThat(d.get("original_value")).isNotNull();
        }
        assertThat(summary)
                .containsExactlyInAnyOrder(
                        "slim it.orders.b order-0",
                        "slim it.orders.b order-10",
                        "slim it.orders.b order-20",
                        "slim it.orders.b order-30",
                        "orders it.orders.b order-1000",
                        "orders it.orders.b order-1001");
        for (GenericRecord d : dead) {
            String message = d.get("error_message").toString();
            String key =
                    new String(
                            ((ByteBuffer) d.get("original_key")).array(), StandardCharsets.UTF_8);
            if (key.equals("order-1000")) {
                assertThat(message).contains("magic byte");
            } else if (key.equals("order-1001")) {
                assertThat(message).contains("9999");
            } else {
                assertThat(message).containsIgnoringCase("division by zero");
            }
        }
        // The metrics summary counts what was read and dead-lettered, per node too.
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            JsonNode metrics =
                                    platform.call("GET", "/api/v1/pipelines/dlq-b", null)
                                            .json()
                                            .path("metrics");
                            assertThat(metrics.path("recordsRead").asLong())
                                    .as(metrics.toString())
                                    .isEqualTo(42);
                            assertThat(metrics.path("deadLetters").asLong()).isEqualTo(6);
                            assertThat(
                                            metrics.path("nodes")
                                                    .path("orders")
                                                    .path("deadLetters")
                                                    .asLong())
                                    .isEqualTo(2);
                            assertThat(
                                            metrics.path("nodes")
                                                    .path("slim")
                                                    .path("deadLetters")
                                                    .asLong())
                                    .isEqualTo(4);
                            assertThat(
                                            metrics.path("nodes")
                                                    .path("slim")
                                                    .path("recordsOut")
                                                    .asLong())
                                    .isEqualTo(good.size());
                        });
        // The job survived all of it.
        assertThat(
                        platform.call("GET", "/api/v1/pipelines/dlq-b", null)
                                .json()
                                .path("state")
                                .asText())
                .isEqualTo("RUNNING");
    }

    @Test
    void invalidPipelinesAreRefusedWith400NamingTheFieldAndNothingIsStored() throws Exception {
        platform.produce("it.orders.c", Orders.SCHEMA, Orders.keys(0, 1), Orders.orders(0, 1));
        String good = Orders.pipeline("bad-c", "it.orders.c", "it.paid.c", "status = 'PAID'");
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"name\": ", new String[] {"", "malformed"});
        cases.put(
                good.replace("\"owner\"", "\"ownr\""),
                new String[] {"/ownr", "unknown key 'ownr'"});
        cases.put(
                good.replace("\"type\": \"filter\"", "\"type\": \"filtr\""),
                new String[] {
                    "/processors/0/type",
                    "unknown processor type 'filtr'; known processor types: filter, "
                });
        cases.put(
                good.replace("status = 'PAID'", "stauts = 'PAID'"),
                new String[] {"/processors/0/config/condition", "stauts"});
        cases.put(
                good.replace("status = 'PAID'", "status = = 'PAID'"),
                new String[] {"/processors/0/config/condition", "line 1"});
        cases.put(
                good.replace("\"UPPER(customer)\"", "\"UPPER(custmer)\""),
                new String[] {"/processors/1/config/fields/customer", "custmer"});
        cases.put(
                good.replace("it.orders.c", "it.no-such-topic"),
                new String[] {"/sources/0/config/topic", "no schema registered"});
        cases.put(
                good.replace("\"inputs\": [\"paid\"]", "\"inputs\": [\"payd\"]"),
                new String[] {"/processors/1/inputs/0", "payd"});
        cases.put(
                good.replace(
                        "\"config\": {\"condition\"", "\"config\": {\"when\": 1, \"condition\""),
                new String[] {"/processors/0/config/when", "allowed keys for 'filter': condition"});
        cases.put(
                good.replace("\"id\": \"slim\"", "\"id\": \"paid\""),
                new String[] {"/processors/1/id", "duplicate"});
        cases.put(
                good.replace("\"inputs\": [\"orders\"]", "\"inputs\": [\"slim\"]"),
                new String[] {"/processors/0/inputs/0", "cycle: paid -> slim -> paid"});
        cases.put(
                good.replace("\"type\": \"project\", ", ""),
                new String[] {"/processors/1/type", "missing required key 'type'"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            PlatformHarness.Response r =
                    platform.call("PUT", "/api/v1/pipelines/bad-c", c.getKey());
            assertThat(r.status).as(c.getKey() + " -> " + r.body).isEqualTo(400);
            JsonNode body = r.json();
            assertThat(body.path("pointer").asText()).as(r.body).isEqualTo(c.getValue()[0]);
            assertThat(body.path("error").asText()).as(r.body).contains(c.getValue()[1]);
        }
        PlatformHarness.Response badName =
                platform.call(
                        "PUT",
                        "/api/v1/pipelines/Bad_Name",
                        Orders.pipeline("Bad_Name", "it.orders.c", "it.paid.c", "status = 'PAID'"));
        assertThat(badName.status).isEqualTo(400);
        assertThat(badName.json().path("pointer").asText()).isEqualTo("/name");

        assertThat(platform.call("GET", "/api/v1/pipelines/bad-c", null).status).isEqualTo(404);
        assertThat(platform.call("GET", "/health", null).status).isEqualTo(200);
    }

    @Test
    void pauseResumeAndUpdateKeepEveryRecordExactlyOnce() throws Exception {
        platform.produce("it.orders.d", Orders.SCHEMA, Orders.keys(0, 20), Orders.orders(0, 20));
        platform.call(
                "PUT",
                "/api/v1/pipelines/life-d",
                Orders.pipeline("life-d", "it.orders.d", "it.paid.d", "status = 'PAID'"));
        JsonNode first = platform.awaitState("life-d", "RUNNING", DEPLOY);
        assertThat(platform.consume("it.paid.d", 10, Duration.ofSeconds(60))).hasSize(10);

        PlatformHarness.Response paused =
                platform.call("POST", "/api/v1/pipelines/life-d/pause", null);
        assertThat(paused.status).as(paused.body).isEqualTo(200);
        assertThat(paused.json().path("state").asText()).isEqualTo("PAUSED");
        platform.produce("it.orders.d", Orders.SCHEMA, Orders.keys(20, 40), Orders.orders(20, 40));
        PlatformHarness.Response resumed =
                platform.call("POST", "/api/v1/pipelines/life-d/resume", null);
        assertThat(resumed.status).as(resumed.body).isEqualTo(200);
        JsonNode second = platform.awaitState("life-d", "RUNNING", DEPLOY);
        assertThat(second.path("jobId").asText()).isNotEqualTo(first.path("jobId").asText());
        assertThat(platform.decode(platform.consume("it.paid.d", 20, Duration.ofSeconds(60))))
                .extracting(r -> (Long) r.get("order_id"))
                .containsExactlyElementsOf(evens(0, 40));

        // Update: every order from now on, not only PAID ones; state of kept node ids survives.
        PlatformHarness.Response updated =
                platform.call(
                        "PUT",
                        "/api/v1/pipelines/life-d",
                        Orders.pipeline("life-d", "it.orders.d", "it.paid.d", "amount >= 0"));
        assertThat(updated.status).as(updated.body).isEqualTo(200);
        assertThat(updated.json().path("state").asText()).isEqualTo("DEPLOYING");
        JsonNode third = platform.awaitState("life-d", "RUNNING", DEPLOY);
        assertThat(third.path("jobId").asText()).isNotEqualTo(second.path("jobId").asText());
        assertThat(
                        third.path("definition")
                                .path("processors")
                                .get(0)
                                .path("config")
                                .path("condition")
                                .asText())
                .isEqualTo("amount >= 0");
        platform.produce("it.orders.d", Orders.SCHEMA, Orders.keys(40, 50), Orders.orders(40, 50));
        List<Long> expected = evens(0, 40);
        for (long i = 40; i < 50; i++) {
            expected.add(i);
        }
        assertThat(platform.decode(platform.consume("it.paid.d", 30, Duration.ofSeconds(60))))
                .extracting(r -> (Long) r.get("order_id"))
                .containsExactlyElementsOf(expected);

        PlatformHarness.Response deleted =
                platform.call("DELETE", "/api/v1/pipelines/life-d", null);
        assertThat(deleted.status).isEqualTo(200);
        assertThat(platform.call("GET", "/api/v1/pipelines/life-d", null).status).isEqualTo(404);
    }

    @Test
    void aJobThatFailsAtRuntimeShowsFailedWithItsCause() throws Exception {
        platform.produce("it.orders.e", Orders.SCHEMA, Orders.keys(0, 1), Orders.orders(0, 1));
        String pipeline =
                "{\"name\": \"fail-e\", \"sources\": [{\"id\": \"orders\", \"type\": \"kafka\","
                        + " \"config\": {\"topic\": \"it.orders.e\"}}], \"processors\": [{\"id\":"
                        + " \"broken\", \"type\": \"it-fail-on-open\", \"inputs\": [\"orders\"],"
                        + " \"config\": {\"message\": \"the enrichment service is unreachable\"}}],"
                        + " \"sinks\": [{\"id\": \"out\", \"type\": \"kafka\", \"inputs\":"
                        + " [\"broken\"], \"config\": {\"topic\": \"it.out.e\"}}]}";
        PlatformHarness.Response applied =
                platform.call("PUT", "/api/v1/pipelines/fail-e", pipeline);
        assertThat(applied.status).as(applied.body).isEqualTo(201);
        JsonNode failed = platform.awaitState("fail-e", "FAILED", Duration.ofSeconds(90));
        assertThat(failed.path("reason").asText())
                .contains("restart strategy gave up")
                .contains("IllegalStateException: the enrichment service is unreachable");
        assertThat(failed.path("restarts").asLong()).isEqualTo(3);
        JsonNode listed = platform.call("GET", "/api/v1/pipelines", null).json();
        boolean found = false;
        for (JsonNode p : listed) {
            if (p.path("name").asText().equals("fail-e")) {
                found = true;
                assertThat(p.path("state").asText()).isEqualTo("FAILED");
                assertThat(p.path("lastError").asText())
                        .contains("the enrichment service is unreachable");
            }
        }
        assertThat(found).isTrue();
        assertThat(platform.call("DELETE", "/api/v1/pipelines/fail-e", null).status).isEqualTo(200);
    }

    @Test
    void theCliAppliesListsDescribesAndDeletesAgainstTheRunningPlatform(@TempDir Path tmp)
            throws Exception {
        platform.produce("it.orders.f", Orders.SCHEMA, Orders.keys(0, 4), Orders.orders(0, 4));
        Path file = tmp.resolve("cli-f.json");
        java.nio.file.Files.writeString(
                file, Orders.pipeline("cli-f", "it.orders.f", "it.paid.f", "status = 'PAID'"));
        String server = platform.apiUrl();

        Cli apply = Cli.run("apply", "-f", file.toString(), "--server", server);
        assertThat(apply.code).as(apply.err).isZero();
        assertThat(apply.out).startsWith("pipeline/cli-f created\n");
        platform.awaitState("cli-f", "RUNNING", DEPLOY);

        Cli get = Cli.run("get", "pipelines", "--server", server);
        assertThat(get.code).isZero();
        assertThat(get.out.lines()).first().asString().startsWith("NAME").contains("STATE");
        assertThat(get.out.lines().filter(l -> l.startsWith("cli-f ")))
                .singleElement()
                .asString()
                .contains("it", "streaming", "RUNNING");

        Cli describe = Cli.run("describe", "pipeline", "cli-f", "--server", server);
        assertThat(describe.code).isZero();
        assertThat(describe.out)
                .contains("State:", "RUNNING", "it.paid.f", "sluice.dlq.cli-f", "status = 'PAID'");

        Cli again = Cli.run("apply", "-f", file.toString(), "--server", server);
        assertThat(again.out).startsWith("pipeline/cli-f configured\n");
        platform.awaitState("cli-f", "RUNNING", DEPLOY);

        Cli delete = Cli.run("delete", "pipeline", "cli-f", "--server", server);
        assertThat(delete.code).isZero();
        assertThat(delete.out).isEqualTo("pipeline/cli-f deleted\n");
        Cli missing = Cli.run("describe", "pipeline", "cli-f", "--server", server);
        assertThat(missing.code).isEqualTo(1);
        assertThat(missing.err).contains("pipeline 'cli-f' does not exist");
    }

    /** One run of the CLI with its output captured. */
    private static final class Cli {
        final int code;
        final String out;
        final String err;

        private Cli(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        static Cli run(String... args) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code =
                    dev.sluice.controller.cli.SluiceCli.run(
                            args,
                            new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                            new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            return new Cli(
                    code,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void atLeastOnceDeliveryWritesWithoutTransactions() throws Exception {
        platform.produce("it.orders.g", Orders.SCHEMA, Orders.keys(0, 20), Orders.orders(0, 20));
        String pipeline =
                Orders.pipeline("alo-g", "it.orders.g", "it.paid.g", "status = 'PAID'")
                        .replaceFirst(
                                "\n}$",
                                ",\n  \"options\": {\"delivery\": \"at-least-once\","
                                        + " \"checkpointInterval\": \"PT1S\"}\n}");
        PlatformHarness.Response applied =
                platform.call("PUT", "/api/v1/pipelines/alo-g", pipeline);
        assertThat(applied.status).as(applied.body).isEqualTo(201);
        JsonNode running = platform.awaitState("alo-g", "RUNNING", DEPLOY);
        assertThat(running.path("definition").path("options").path("delivery").asText())
                .isEqualTo("at-least-once");
        assertThat(platform.decode(platform.consume("it.paid.g", 10, Duration.ofSeconds(60))))
                .extracting(r -> (Long) r.get("order_id"))
                .containsExactlyElementsOf(evens(0, 20));
        assertThat(platform.call("DELETE", "/api/v1/pipelines/alo-g", null).status).isEqualTo(200);
    }

    @Test
    void unionAndQualityGateMergeTwoSchemasAndDeadLetterRuleViolations() throws Exception {
        Schema us =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"UsOrder\",\"namespace\":\"it\","
                                        + "\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
                                        + "{\"name\":\"customer\",\"type\":\"string\"},"
                                        + "{\"name\":\"amount\",\"type\":\"double\"},"
                                        + "{\"name\":\"status\",\"type\":\"string\"},"
                                        + "{\"name\":\"state\",\"type\":\"string\"}]}");
        List<GenericRecord> usOrders = new ArrayList<>();
        String[] customers = {"bob", "carol", "BOB1", "dave", "erin"};
        double[] amounts = {100, -5, 7, 8, 9};
        for (int i = 0; i < 5; i++) {
            GenericRecord r = new org.apache.avro.generic.GenericData.Record(us);
            r.put("id", 100L + i);
            r.put("customer", customers[i]);
            r.put("amount", amounts[i]);
            r.put("status", "PAID");
            r.put("state", "CA");
            usOrders.add(r);
        }
        platform.produce("it.orders.eu", Orders.SCHEMA, Orders.keys(0, 10), Orders.orders(0, 10));
        platform.produce("it.orders.us", us, Orders.keys(100, 105), usOrders);
        platform.produceRaw(
                "it.orders.eu",
                List.of(Orders.key(999)),
                List.of("{\"id\": 999}".getBytes(StandardCharsets.UTF_8)));

        String pipeline =
                "{\"name\": \"gate-h\", \"sources\": ["
                        + "{\"id\": \"eu\", \"type\": \"kafka\", \"config\": {\"topic\": \"it.orders.eu\"}},"
                        + "{\"id\": \"us\", \"type\": \"kafka\", \"config\": {\"topic\": \"it.orders.us\"}}],"
                        + " \"processors\": ["
                        + "{\"id\": \"all\", \"type\": \"union\", \"inputs\": [\"eu\", \"us\"]},"
                        + "{\"id\": \"gate\", \"type\": \"quality-gate\", \"inputs\": [\"all\"],"
                        + " \"config\": {\"rules\": ["
                        + "{\"rule\": \"range\", \"field\": \"amount\", \"min\": 0},"
                        + "{\"rule\": \"regex\", \"field\": \"customer\", \"pattern\": \"[a-z]+\"},"
                        + "{\"rule\": \"not-null\", \"field\": \"state\", \"action\": \"alert\"}]}}],"
                        + " \"sinks\": [{\"id\": \"out\", \"type\": \"kafka\", \"inputs\": [\"gate\"],"
                        + " \"config\": {\"topic\": \"it.gated.h\"}}]}";
        PlatformHarness.Response applied =
                platform.call("PUT", "/api/v1/pipelines/gate-h", pipeline);
        assertThat(applied.status).as(applied.body).isEqualTo(201);
        platform.awaitState("gate-h", "RUNNING", DEPLOY);

        List<GenericRecord> out =
                platform.decode(platform.consume("it.gated.h", 13, Duration.ofSeconds(60)));
        assertThat(out)
                .extracting(r -> (Long) r.get("id"))
                .containsExactlyInAnyOrder(
                        0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 100L, 103L, 104L);
        GenericRecord eu =
                out.stream().filter(r -> (Long) r.get("id") == 3L).findFirst().orElseThrow();
        assertThat(eu.get("qty")).isEqualTo(3);
        assertThat(eu.get("state")).isNull();
        GenericRecord usOut =
                out.stream().filter(r -> (Long) r.get("id") == 100L).findFirst().orElseThrow();
        assertThat(usOut.get("qty")).isNull();
        assertThat(usOut.get("state").toString()).isEqualTo("CA");
        Schema registered =
                platform.registry().getLatest("it.gated.h-value").orElseThrow().schema();
        assertThat(registered.getFields())
                .extracting(Schema.Field::name)
                .containsExactly("id", "customer", "amount", "qty", "status", "state");

        List<GenericRecord> dead =
                platform.decode(platform.consume("sluice.dlq.gate-h", 3, Duration.ofSeconds(60)));
        List<String> reasons = new ArrayList<>();
        dead.forEach(d -> reasons.add(d.get("processor_id") + ": " + d.get("error_message")));
        assertThat(reasons)
                .hasSize(3)
                .contains(
                        "gate: rule 0 (range) failed: field 'amount' = -5.0 is below min 0",
                        "gate: rule 1 (regex) failed: field 'customer' = \"BOB1\" does not match [a-z]+")
                .anyMatch(r -> r.startsWith("eu: not Confluent wire format"));

        // Rule counters, alert rules included, are in the pipeline's metrics summary.
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            JsonNode gate =
                                    platform.call("GET", "/api/v1/pipelines/gate-h", null)
                                            .json()
                                            .path("metrics")
                                            .path("nodes")
                                            .path("gate");
                            assertThat(gate.path("rule_0_range_failed").asLong())
                                    .as(gate.toString())
                                    .isEqualTo(1);
                            assertThat(gate.path("rule_1_regex_failed").asLong()).isEqualTo(1);
                            assertThat(gate.path("rule_2_not_null_failed").asLong()).isEqualTo(10);
                            assertThat(gate.path("deadLetters").asLong()).isEqualTo(2);
                        });
    }

    @Test
    void deadLettersReplayedAfterAFixArriveExactlyOnceAndFailuresRaiseTheAttempt()
            throws Exception {
        platform.produce("it.orders.r2", Orders.SCHEMA, Orders.keys(0, 20), Orders.orders(0, 20));
        String broken =
                "{\"name\": \"replay-r\", \"sources\": [{\"id\": \"orders\", \"type\": \"kafka\","
                        + " \"config\": {\"topic\": \"it.orders.r2\"}}], \"processors\": [{\"id\":"
                        + " \"paid\", \"type\": \"filter\", \"inputs\": [\"orders\"], \"config\":"
                        + " {\"condition\": \"status = 'PAID'\"}}, {\"id\": \"slim\", \"type\":"
                        + " \"project\", \"inputs\": [\"paid\"], \"config\": {\"fields\":"
                        + " {\"order_id\": \"id\", \"per_unit\": \"PER_UNIT\"}}}], \"sinks\": [{\"id\":"
                        + " \"out\", \"type\": \"kafka\", \"inputs\": [\"slim\"], \"config\":"
                        + " {\"topic\": \"it.paid.r2\"}}]}";
        platform.call("PUT", "/api/v1/pipelines/replay-r", broken.replace("PER_UNIT", "id / qty"));
        platform.awaitState("replay-r", "RUNNING", DEPLOY);
        // PAID orders are the even ids; 0 and 10 have qty 0 and fail on "id / qty".
        List<Long> good = List.of(2L, 4L, 6L, 8L, 12L, 14L, 16L, 18L);
        assertThat(platform.decode(platform.consume("it.paid.r2", 8, Duration.ofSeconds(60))))
                .extracting(r -> (Long) r.get("order_id"))
                .containsExactlyElementsOf(good);
        assertThat(platform.consume("sluice.dlq.replay-r", 2, Duration.ofSeconds(60))).hasSize(2);

        // Replayed before the fix: they fail again, as new dead letters with attempt 2.
        PlatformHarness.Response first =
                platform.call("POST", "/api/v1/pipelines/replay-r/dead-letters/replay", "{}");
        assertThat(first.status).as(first.body).isEqualTo(202);
        assertThat(first.json().path("replayed").asInt()).isEqualTo(2);
        List<GenericRecord> dead =
                platform.decode(platform.consume("sluice.dlq.replay-r", 4, Duration.ofSeconds(60)));
        assertThat(dead).extracting(d -> (Integer) d.get("attempt")).containsExactly(1, 1, 2, 2);
        assertThat(dead.get(2).get("source_offset")).isEqualTo(dead.get(0).get("source_offset"));
        assertThat(dead.get(3).get("source_topic").toString()).isEqualTo("it.orders.r2");

        // The fix, then a replay of that processor's dead letters: each arrives exactly once.
        PlatformHarness.Response fixed =
                platform.call(
                        "PUT",
                        "/api/v1/pipelines/replay-r",
                        broken.replace(
                                "PER_UNIT", "CASE WHEN qty = 0 THEN NULL ELSE id / qty END"));
        assertThat(fixed.status).as(fixed.body).isEqualTo(200);
        platform.awaitState("replay-r", "RUNNING", DEPLOY);
        PlatformHarness.Response second =
                platform.call(
                        "POST",
                        "/api/v1/pipelines/replay-r/dead-letters/replay",
                        "{\"processor\": \"slim\"}");
        assertThat(second.json().path("replayed").asInt()).as(second.body).isEqualTo(2);
        List<GenericRecord> out =
                platform.decode(platform.consume("it.paid.r2", 10, Duration.ofSeconds(60)));
        List<Long> expected = new ArrayList<>(good);
        expected.addAll(List.of(0L, 10L));
        assertThat(out)
                .extracting(r -> (Long) r.get("order_id"))
                .containsExactlyElementsOf(expected);
        assertThat(out.get(9).get("per_unit")).isNull();

        PlatformHarness.Response again =
                platform.call("POST", "/api/v1/pipelines/replay-r/dead-letters/replay", "{}");
        assertThat(again.json().path("replayed").asInt()).isZero();
        PlatformHarness.Response unknown =
                platform.call(
                        "POST",
                        "/api/v1/pipelines/replay-r/dead-letters/replay",
                        "{\"processor\": \"nope\"}");
        assertThat(unknown.status).isEqualTo(400);
        assertThat(unknown.json().path("pointer").asText()).isEqualTo("/processor");
        assertThat(unknown.json().path("error").asText()).contains("orders, paid, slim, out");
    }

    @Test
    void joinEnrichesOrdersAndReEmitsThemWhenTheirCustomerChanges() throws Exception {
        Schema customers =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"it\","
                                        + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},"
                                        + "{\"name\":\"tier\",\"type\":\"string\"}]}");
        java.util.function.BiFunction<String, String, GenericRecord> customer =
                (name, tier) -> {
                    GenericRecord r = new org.apache.avro.generic.GenericData.Record(customers);
                    r.put("name", name);
                    r.put("tier", tier);
                    return r;
                };
        platform.produce(
                "it.customers.j",
                customers,
                List.of(key("ada"), key("grace"), key("linus")),
                List.of(
                        customer.apply("ada", "gold"),
                        customer.apply("grace", "silver"),
                        customer.apply("linus", "bronze")));
        platform.produce("it.orders.j", Orders.SCHEMA, Orders.keys(0, 6), Orders.orders(0, 6));
        String pipeline =
                "{\"name\": \"join-j\", \"sources\": ["
                        + "{\"id\": \"orders\", \"type\": \"kafka\", \"config\": {\"topic\": \"it.orders.j\"}},"
                        + "{\"id\": \"customers\", \"type\": \"kafka\", \"config\": {\"topic\": \"it.customers.j\"}}],"
                        + " \"processors\": [{\"id\": \"enriched\", \"type\": \"join\","
                        + " \"inputs\": [\"orders\", \"customers\"], \"config\": {\"kind\": \"inner\","
                        + " \"on\": {\"orders\": \"customer\", \"customers\": \"name\"}}}],"
                        + " \"sinks\": [{\"id\": \"out\", \"type\": \"kafka\", \"inputs\": [\"enriched\"],"
                        + " \"config\": {\"topic\": \"it.enriched.j\"}}]}";
        PlatformHarness.Response applied =
                platform.call("PUT", "/api/v1/pipelines/join-j", pipeline);
        assertThat(applied.status).as(applied.body).isEqualTo(201);
        platform.awaitState("join-j", "RUNNING", DEPLOY);

        Map<String, String> tiers = Map.of("ada", "gold", "grace", "silver", "linus", "bronze");
        List<ConsumerRecord<byte[], byte[]>> first =
                platform.consume("it.enriched.j", 6, Duration.ofSeconds(60));
        List<GenericRecord> joined = platform.decode(first);
        assertThat(joined)
                .extracting(r -> (Long) r.get("id"))
                .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L);
        for (GenericRecord r : joined) {
            assertThat(r.get("tier").toString()).isEqualTo(tiers.get(r.get("customer").toString()));
        }
        for (ConsumerRecord<byte[], byte[]> r : first) {
            // The output is keyed by the left (order) key.
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).startsWith("order-");
        }
        Schema registered =
                platform.registry().getLatest("it.enriched.j-value").orElseThrow().schema();
        assertThat(registered.getFields())
                .extracting(Schema.Field::name)
                .containsExactly("id", "customer", "amount", "qty", "status", "name", "tier");

        // An update on the right side re-emits exactly the affected joined rows, in place.
        platform.produce(
                "it.customers.j",
                customers,
                List.of(key("ada")),
                List.of(customer.apply("ada", "platinum")));
        List<GenericRecord> all =
                platform.decode(platform.consume("it.enriched.j", 8, Duration.ofSeconds(60)));
        assertThat(all).hasSize(8);
        assertThat(all.subList(6, 8))
                .extracting(r -> r.get("id") + " " + r.get("tier"))
                .containsExactlyInAnyOrder("0 platinum", "3 platinum");
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Long> evens(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            if (i % 2 == 0) {
                out.add(i);
            }
        }
        return out;
    }
}

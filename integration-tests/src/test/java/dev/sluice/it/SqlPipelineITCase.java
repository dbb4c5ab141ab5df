package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.serde.ConfluentAvroDecoder;
import dev.sluice.schemas.serde.ConfluentWireFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sql} processor on the platform: a GROUP BY aggregate is written as a changelog keyed
 * by its GROUP BY columns (an Avro key under {@code <topic>-key}) and updated in place; a refused
 * query is a 400 at its pointer.
 */
class SqlPipelineITCase {
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

    private static String pipeline(String query) {
        return "{\"name\": \"totals\", \"sources\": [{\"id\": \"orders\", \"type\": \"kafka\","
                + " \"config\": {\"topic\": \"it.sql.orders\"}}], \"processors\": [{\"id\":"
                + " \"agg\", \"type\": \"sql\", \"inputs\": [\"orders\"], \"config\": {\"query\": \""
                + query
                + "\"}}], \"sinks\": [{\"id\": \"out\", \"type\": \"kafka\", \"inputs\":"
                + " [\"agg\"], \"config\": {\"topic\": \"it.sql.totals\"}}]}";
    }

    @Test
    void anAggregateIsAKeyedChangelogUpdatedInPlace() throws Exception {
        platform.produce("it.sql.orders", Orders.SCHEMA, Orders.keys(0, 30), Orders.orders(0, 30));
        PlatformHarness.Response refused =
                platform.call("PUT", "/api/v1/pipelines/totals", pipeline("DROP TABLE orders"));
        assertThat(refused.status).as(refused.body).isEqualTo(400);
        assertThat(refused.json().path("pointer").asText()).isEqualTo("/processors/0/config/query");

        PlatformHarness.Response applied =
                platform.call(
                        "PUT",
                        "/api/v1/pipelines/totals",
                        pipeline(
                                "SELECT customer, COUNT(*) AS n, SUM(amount) AS total FROM orders"
                                        + " WHERE status = 'PAID' GROUP BY customer"));
        assertThat(applied.status).as(applied.body).isEqualTo(201);
        platform.awaitState("totals", "RUNNING", Duration.ofSeconds(120));

        // Orders 0..29: PAID are those with i % 4 in {0, 2}, i.e. the even ones; customers cycle
        // ada, grace, linus by i % 3.
        Map<String, long[]> expected = new TreeMap<>();
        for (long i = 0; i < 30; i += 2) {
            long[] e = expected.computeIfAbsent(customer(i), k -> new long[2]);
            e[0]++;
            e[1] += i;
        }
        HttpSchemaRegistryClient registry = platform.registry();
        Map<String, String> latest = awaitLatest(registry, expected);
        Map<String, String> want = new TreeMap<>();
        expected.forEach((c, e) -> want.put(c, e[0] + " " + (double) e[1]));
        assertThat(latest).isEqualTo(want);
        assertThat(registry.getLatest("it.sql.totals-key")).isPresent();
        assertThat(registry.getLatest("it.sql.totals-key").get().schema().getFields())
                .extracting(Schema.Field::name)
                .containsExactly("customer");
    }

    private static String customer(long i) {
        return Orders.order(i).get("customer").toString();
    }

    /** The latest value per decoded key of the output topic, once it matches. */
    private static Map<String, String> awaitLatest(
            HttpSchemaRegistryClient registry, Map<String, long[]> expected) {
        List<ConsumerRecord<byte[], byte[]>> out =
                platform.consume("it.sql.totals", expected.size(), Duration.ofSeconds(90));
        Map<String, String> latest = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            Schema keySchema = registry.getById(ConfluentWireFormat.schemaIdOf(r.key()));
            GenericRecord key =
                    new ConfluentAvroDecoder(keySchema, registry::getById).decode(r.key());
            String customer = key.get("customer").toString();
            if (r.value() == null) {
                latest.remove(customer);
                continue;
            }
            GenericRecord v = platform.decode(List.of(r)).get(0);
            assertThat(v.get("customer").toString()).isEqualTo(customer);
            latest.put(customer, v.get("n") + " " + v.get("total"));
        }
        return latest;
    }
}

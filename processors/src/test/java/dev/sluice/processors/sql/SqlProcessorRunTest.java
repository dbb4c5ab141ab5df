package dev.sluice.processors.sql;

import static dev.sluice.processors.sql.SqlFixtures.CUSTOMERS;
import static dev.sluice.processors.sql.SqlFixtures.ORDERS;
import static dev.sluice.processors.sql.SqlFixtures.ORDER_CHANGES;
import static dev.sluice.processors.sql.SqlFixtures.change;
import static dev.sluice.processors.sql.SqlFixtures.customer;
import static dev.sluice.processors.sql.SqlFixtures.fields;
import static dev.sluice.processors.sql.SqlFixtures.keyed;
import static dev.sluice.processors.sql.SqlFixtures.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.sdk.EventTime;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.factory.ProcessorFactory.PlannedProcessor;
import dev.sluice.sdk.testing.ProcessorRun;
import dev.sluice.sdk.testing.ProcessorTestHarness;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Queries run end to end on Flink's local execution: the SDK's processor harness where inputs need
 * no event time, {@link SqlRunner} where they do.
 */
class SqlProcessorRunTest {

    private static String text(byte[] key) {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    private static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    @Test
    void testFilterAndProjectionPassTheInputKeysThroughAndSkipTombstones() throws Exception {
        ProcessorTestHarness harness =
                ProcessorTestHarness.of(new SqlProcessorFactory())
                        .config(
                                Map.of(
                                        "query",
                                        "SELECT id, UPPER(customer) AS who, amount * 2 AS twice"
                                                + " FROM orders WHERE amount > 10"))
                        .input("orders", ORDERS)
                        .nodeId("big")
                        .build();

        ProcessorRun run =
                harness.runRecords(
                        Map.of(
                                "orders",
                                List.of(
                                        keyed("orders", 0, "k1", order(1, "ann", 5, null, 0L)),
                                        keyed("orders", 1, "k2", order(2, "bob", 50, "x", 0L)),
                                        keyed("orders", 3, "k4", null),
                                        keyed("orders", 4, "k5", order(5, "cy", 11, null, 0L)))));

        assertThat(run.outputRecords())
                .extracting(r -> text(r.key()), r -> fields(r.value()))
                .containsExactly(
                        tuple("k2", row("id", 2L, "who", "BOB", "twice", 100.0)),
                        tuple("k5", row("id", 5L, "who", "CY", "twice", 22.0)));
        assertThat(run.deadLetters()).isEmpty();
    }

    @Test
    void testAnUpdateLeavingTheWhereOfAChangelogDeletesItsKey() throws Exception {
        ProcessorTestHarness harness =
                ProcessorTestHarness.of(new SqlProcessorFactory())
                        .config(Map.of("query", "SELECT * FROM changes WHERE amount > 6"))
                        .input("changes", ORDER_CHANGES, StreamKind.CHANGELOG)
                        .nodeId("big")
                        .build();

        ProcessorRun run =
                harness.runRecords(
                        Map.of(
                                "changes",
                                List.of(
                                        keyed("changes", 0, "1", change("c", 1, "ann", 10)),
                                        keyed("changes", 1, "2", change("c", 2, "ann", 5)),
                                        keyed("changes", 2, "1", change("u", 1, "ann", 2)),
                                        keyed("changes", 3, "2", change("u", 2, "ann", 7)),
                                        keyed("changes", 4, "2", change("u", 2, "ann", 8)),
                                        keyed("changes", 5, "2", change("d", 2, "ann", 8)),
                                        keyed("changes", 6, "2", null))));

        assertThat(harness.outputSchema().getFields())
                .extracting(Schema.Field::name)
                .containsExactly("id", "customer", "amount", "__op");
        assertThat(harness.outputKind()).isEqualTo(StreamKind.CHANGELOG);
        assertThat(run.outputRecords())
                .extracting(r -> text(r.key()), r -> fields(r.value()))
                .containsExactly(
                        tuple("1", row("id", 1L, "customer", "ann", "amount", 10.0, "__op", "c")),
                        tuple("1", null),
                        tuple("2", row("id", 2L, "customer", "ann", "amount", 7.0, "__op", "u")),
                        tuple("2", row("id", 2L, "customer", "ann", "amount", 8.0, "__op", "u")),
                        tuple("2", null));
        assertThat(run.deadLetters()).isEmpty();
    }

    @Test
    void testGroupByOverAChangelogUpdatesInPlaceAndDeletesUnderItsKey() throws Exception {
        ProcessorTestHarness harness =
                ProcessorTestHarness.of(new SqlProcessorFactory())
                        .config(
                                Map.of(
                                        "query",
                                        "SELECT customer, COUNT(*) AS orders, SUM(amount) AS total"
                                                + " FROM changes GROUP BY customer"))
                        .input("changes", ORDER_CHANGES, StreamKind.CHANGELOG)
                        .nodeId("totals")
                        .build();
        harness.planned().provision(new SqlFixtures.RecordingProvisioner(42));
        Schema keySchema = harness.planned().keySchema().get();

        ProcessorRun run =
                harness.runRecords(
                        Map.of(
                                "changes",
                                List.of(
                                        keyed("changes", 0, "1", change("c", 1, "ann", 10)),
                                        keyed("changes", 1, "2", change("c", 2, "ann", 5)),
                                        keyed("changes", 2, "3", change("c", 3, "bob", 7)),
                                        keyed("changes", 3, "1", change("u", 1, "ann", 20)),
                                        keyed("changes", 4, "3", change("u", 3, "ann", 7)),
                                        keyed("changes", 5, "2", change("d", 2, "ann", 5)),
                                        keyed("changes", 6, "2", null),
                                        keyed("changes", 7, "9", change("d", 9, "cy", 1)))));

        assertThat(run.outputRecords())
                .extracting(
                        r -> fields(SqlFixtures.decodeKey(r.key(), 42, keySchema)),
                        r -> fields(r.value()))
                .containsExactly(
                        tuple(
                                row("customer", "ann"),
                                row("customer", "ann", "orders", 1L, "total", 10.0)),
                        tuple(
                                row("customer", "ann"),
                                row("customer", "ann", "orders", 2L, "total", 15.0)),
                        tuple(
                                row("customer", "bob"),
                                row("customer", "bob", "orders", 1L, "total", 7.0)),
                        tuple(
                                row("customer", "ann"),
                                row("customer", "ann", "orders", 1L, "total", 5.0)),
                        tuple(
                                row("customer", "ann"),
                                row("customer", "ann", "orders", 2L, "total", 25.0)),
                        tuple(row("customer", "bob"), null),
                        tuple(
                                row("customer", "ann"),
                                row("customer", "ann", "orders", 3L, "total", 32.0)),
                        tuple(
                                row("customer", "ann"),
                                row("customer", "ann", "orders", 2L, "total", 27.0)));
    }

    @Test
    void testTumblingWindowOverTheInputsEventTimeDeadLettersRecordsWithoutTime() throws Exception {
        StreamDescriptor orders =
                new StreamDescriptor("orders", ORDERS, StreamKind.APPEND)
                        .withEventTime(
                                new EventTime("ts", Duration.ofSeconds(5), Duration.ofSeconds(30)));
        PlannedProcessor planned =
                SqlRunner.plan(
                        "per-minute",
                        "SELECT window_start, window_end, customer, COUNT(*) AS orders,"
                                + " SUM(amount) AS total"
                                + " FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts),"
                                + " INTERVAL '1' MINUTE))"
                                + " GROUP BY window_start, window_end, customer",
                        orders);
        planned.provision(new SqlFixtures.RecordingProvisioner(7));

        SqlRunner.Result result =
                SqlRunner.run(
                        planned,
                        "per-minute",
                        List.of(orders),
                        Map.of(
                                "orders",
                                List.of(
                                        keyed("orders", 0, "a", order(1, "ann", 1, null, 10_000L)),
                                        keyed("orders", 1, "b", order(2, "bob", 2, null, 20_000L)),
                                        keyed("orders", 2, "c", order(3, "ann", 3, null, 59_999L)),
                                        keyed("orders", 3, "d", order(4, "ann", 4, null, 60_000L)),
                                        keyed("orders", 4, "e", order(5, "ann", 5, null, null)))));

        Schema keySchema = planned.keySchema().get();
        assertThat(result.outputs)
                .extracting(
                        r -> fields(SqlFixtures.decodeKey(r.key(), 7, keySchema)),
                        r -> fields(r.value()))
                .containsExactlyInAnyOrder(
                        tuple(
                                row("window_start", 0L, "window_end", 60_000L, "customer", "ann"),
                                row(
                                        "window_start",
                                        0L,
                                        "window_end",
                                        60_000L,
                                        "customer",
                                        "ann",
                                        "orders",
                                        2L,
                                        "total",
                                        4.0)),
                        tuple(
                                row("window_start", 0L, "window_end", 60_000L, "customer", "bob"),
                                row(
                                        "window_start",
                                        0L,
                                        "window_end",
                                        60_000L,
                                        "customer",
                                        "bob",
                                        "orders",
                                        1L,
                                        "total",
                                        2.0)),
                        tuple(
                                row(
                                        "window_start",
                                        60_000L,
                                        "window_end",
                                        120_000L,
                                        "customer",
                                        "ann"),
                                row(
                                        "window_start",
                                        60_000L,
                                        "window_end",
                                        120_000L,
                                        "customer",
                                        "ann",
                                        "orders",
                                        1L,
                                        "total",
                                        4.0)));
        assertThat(result.deadLetters)
                .extracting(
                        d -> d.processorId,
                        d -> d.sourceOffset,
                        d -> text(d.originalKey),
                        d -> d.errorMessage)
                .containsExactly(
                        tuple(
                                "per-minute",
                                4L,
                                "e",
                                "event-time field 'ts' is null; windows need a time on every"
                                        + " record"));
    }

    @Test
    void testJoinOfTwoInputs() throws Exception {
        ProcessorTestHarness harness =
                ProcessorTestHarness.of(new SqlProcessorFactory())
                        .config(
                                Map.of(
                                        "query",
                                        "SELECT o.id, c.name, c.tier, o.amount FROM orders o"
                                                + " JOIN customers c ON o.customer = c.id"))
                        .input("orders", ORDERS)
                        .input("customers", CUSTOMERS)
                        .nodeId("enriched")
                        .build();

        ProcessorRun run =
                harness.run(
                        Map.of(
                                "orders",
                                List.of(
                                        order(1, "c1", 10, null, 0L),
                                        order(2, "c2", 20, null, 0L),
                                        order(3, "c9", 30, null, 0L)),
                                "customers",
                                List.of(
                                        customer("c1", "Ann", "GOLD"),
                                        customer("c2", "Bob", "SILVER"))));

        assertThat(harness.outputKind()).isEqualTo(StreamKind.APPEND);
        assertThat(run.outputRecords())
                .extracting(r -> r.key(), r -> fields(r.value()))
                .containsExactlyInAnyOrder(
                        tuple(null, row("id", 1L, "name", "Ann", "tier", "GOLD", "amount", 10.0)),
                        tuple(
                                null,
                                row("id", 2L, "name", "Bob", "tier", "SILVER", "amount", 20.0)));
    }

    @Test
    void testEveryOperatorGetsAStableUidOfTheNode() {
        PlannedProcessor planned =
                SqlRunner.plan(
                        "totals",
                        "SELECT customer, COUNT(*) AS orders FROM changes GROUP BY customer",
                        new StreamDescriptor("changes", ORDER_CHANGES, StreamKind.CHANGELOG));
        planned.provision(new SqlFixtures.RecordingProvisioner(1));

        List<String> first = uids(planned);
        List<String> second = uids(planned);

        assertThat(first).isEqualTo(second).doesNotHaveDuplicates();
        assertThat(first)
                .allMatch(uid -> uid.startsWith("sluice/shop/totals/"), "uids of the node")
                .contains(
                        "sluice/shop/totals/input-changes",
                        "sluice/shop/totals/sql/stream-exec-group-aggregate_1_group-aggregate",
                        "sluice/shop/totals/output");
    }

    /** The uids of every operator the node adds, translated into a fresh job. */
    private static List<String> uids(PlannedProcessor planned) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<SluiceRecord> input =
                env.fromData(
                        List.of(keyed("changes", 0, "1", change("c", 1, "ann", 1))),
                        new SluiceRecordTypeInfo(ORDER_CHANGES));
        DataStream<SluiceRecord> out =
                planned.translate(List.of(input), new SqlRunner.Context("totals"));
        List<String> uids = new ArrayList<>();
        collect(out.getTransformation(), input.getTransformation(), uids);
        return uids;
    }

    private static void collect(Transformation<?> t, Transformation<?> stop, List<String> out) {
        if (t == stop || out.contains(t.getUid())) {
            return;
        }
        for (Transformation<?> in : t.getInputs()) {
            collect(in, stop, out);
        }
        if (t.getUid() != null) {
            out.add(t.getUid());
        }
    }
}

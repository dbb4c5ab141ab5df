package dev.sluice.processors.sql;

import static dev.sluice.processors.sql.SqlFixtures.CUSTOMERS;
import static dev.sluice.processors.sql.SqlFixtures.ORDERS;
import static dev.sluice.processors.sql.SqlFixtures.ORDER_CHANGES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.sdk.EventTime;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.ProcessorFactory.PlannedProcessor;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Planning the {@code sql} processor: what it derives from a query (schema, kind, key, lineage) and
 * every kind of query it refuses, with the message and the pointer the user gets.
 */
class SqlProcessorFactoryTest {

    private static final String POINTER = "/processors/0/config/query";
    private static final String TABLES =
            "the query is one SELECT (or WITH, VALUES, UNION ...) over the processor's inputs, each"
                    + " a table named by its id: orders, customers";

    private static final StreamDescriptor ORDERS_IN =
            new StreamDescriptor("orders", ORDERS, StreamKind.APPEND);
    private static final StreamDescriptor TIMED_ORDERS_IN =
            ORDERS_IN.withEventTime(new EventTime("ts", Duration.ofSeconds(5), Duration.ZERO));
    private static final StreamDescriptor CUSTOMERS_IN =
            new StreamDescriptor("customers", CUSTOMERS, StreamKind.APPEND);
    private static final StreamDescriptor CHANGES_IN =
            new StreamDescriptor("changes", ORDER_CHANGES, StreamKind.CHANGELOG);

    private static PlannedProcessor plan(String query, StreamDescriptor... inputs) {
        return SqlRunner.plan("node", query, inputs);
    }

    private static void assertRefused(String query, String message) {
        assertRefused(query, POINTER, message, ORDERS_IN, CUSTOMERS_IN);
    }

    private static void assertRefused(
            String query, String pointer, String message, StreamDescriptor... inputs) {
        assertThatThrownBy(() -> plan(query, inputs))
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e -> assertThat(e.pointer()).isEqualTo(pointer))
                .hasMessage(message);
    }

    @Test
    void testIdentifierAndOptions() {
        SqlProcessorFactory factory = new SqlProcessorFactory();

        assertThat(factory.identifier()).isEqualTo("sql");
        assertThat(factory.requiredOptions()).containsExactly(SqlProcessorOptions.QUERY);
        assertThat(factory.optionalOptions()).isEmpty();
    }

    @Test
    void testProjectionIsAnAppendWithTheResultsSchemaAndLineage() {
        PlannedProcessor planned =
                plan(
                        "SELECT id, UPPER(customer) AS who, amount * 2 AS twice, note"
                                + " FROM orders WHERE amount > 10",
                        ORDERS_IN);

        assertThat(planned.outputSchema().toString())
                .isEqualTo(
                        "{\"type\":\"record\",\"name\":\"shop_node\",\"fields\":["
                                + "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"who\",\"type\":\"string\"},"
                                + "{\"name\":\"twice\",\"type\":\"double\"},"
                                + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],"
                                + "\"default\":null}]}");
        assertThat(planned.outputKind()).isEqualTo(StreamKind.APPEND);
        assertThat(planned.keySchema()).isEmpty();
        assertThat(planned.lineage())
                .containsExactly(
                        Map.entry("id", Set.of("orders.id", "orders.amount")),
                        Map.entry("who", Set.of("orders.customer", "orders.amount")),
                        Map.entry("twice", Set.of("orders.amount")),
                        Map.entry("note", Set.of("orders.note", "orders.amount")));
    }

    @Test
    void testProjectionOfAChangelogIsAChangelog() {
        PlannedProcessor planned = plan("SELECT id, amount FROM changes", CHANGES_IN);

        assertThat(planned.outputKind()).isEqualTo(StreamKind.CHANGELOG);
        assertThat(planned.keySchema()).isEmpty();
    }

    @Test
    void testGroupByIsAChangelogKeyedByItsColumnsRegisteredUnderTheNodesSubject() {
        PlannedProcessor planned =
                plan(
                        "SELECT customer, COUNT(*) AS orders, SUM(amount) AS total"
                                + " FROM orders GROUP BY customer",
                        ORDERS_IN);
        SqlFixtures.RecordingProvisioner registry = new SqlFixtures.RecordingProvisioner(3);
        planned.provision(registry);

        assertThat(planned.outputKind()).isEqualTo(StreamKind.CHANGELOG);
        assertThat(planned.keySchema().map(Schema::toString))
                .contains(
                        "{\"type\":\"record\",\"name\":\"shop_node_key\",\"fields\":["
                                + "{\"name\":\"customer\",\"type\":\"string\"}]}");
        assertThat(registry.registered).containsOnlyKeys("sluice.shop.node-key");
        assertThat(registry.registered.get("sluice.shop.node-key"))
                .isEqualTo(planned.keySchema().get());
        assertThat(planned.lineage())
                .containsExactly(
                        Map.entry("customer", Set.of("orders.customer")),
                        Map.entry("orders", Set.of("orders.customer")),
                        Map.entry("total", Set.of("orders.amount", "orders.customer")));
    }

    @Test
    void testAliasedAndQualifiedGroupByColumnsAreTheKey() {
        PlannedProcessor planned =
                plan(
                        "SELECT COUNT(*) AS n, UPPER(o.customer) AS who FROM orders o"
                                + " GROUP BY UPPER(o.customer)",
                        ORDERS_IN);

        assertThat(planned.keySchema().get().getFields())
                .extracting(Schema.Field::name)
                .containsExactly("who");
    }

    @Test
    void testWindowAggregateIsAnAppendKeyedByWindowAndGroup() {
        PlannedProcessor planned =
                plan(
                        "SELECT window_start, window_end, customer, COUNT(*) AS orders"
                                + " FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts),"
                                + " INTERVAL '1' MINUTE))"
                                + " GROUP BY window_start, window_end, customer",
                        TIMED_ORDERS_IN);

        assertThat(planned.outputKind()).isEqualTo(StreamKind.APPEND);
        assertThat(planned.keySchema().get().getFields())
                .extracting(Schema.Field::name)
                .containsExactly("window_start", "window_end", "customer");
        assertThat(planned.lineage())
                .containsExactly(
                        Map.entry("window_start", Set.of("orders.customer", "orders.ts")),
                        Map.entry("window_end", Set.of("orders.customer", "orders.ts")),
                        Map.entry("customer", Set.of("orders.customer", "orders.ts")),
                        Map.entry("orders", Set.of("orders.customer", "orders.ts")));
    }

    @Test
    void testJoinOfAppendsIsAnAppendWithoutKeysAndLineageFromBothSides() {
        PlannedProcessor planned =
                plan(
                        "SELECT o.id, c.name, c.tier FROM orders o"
                                + " JOIN customers c ON o.customer = c.id",
                        ORDERS_IN,
                        CUSTOMERS_IN);

        assertThat(planned.outputKind()).isEqualTo(StreamKind.APPEND);
        assertThat(planned.keySchema()).isEmpty();
        assertThat(planned.lineage())
                .containsExactly(
                        Map.entry("id", Set.of("orders.id", "orders.customer", "customers.id")),
                        Map.entry(
                                "name",
                                Set.of("customers.name", "orders.customer", "customers.id")),
                        Map.entry(
                                "tier",
                                Set.of("customers.tier", "orders.customer", "customers.id")));
    }

    @Test
    void testDdlIsRefused() {
        assertRefused(
                "CREATE TABLE t (a INT) WITH ('connector' = 'filesystem', 'path' = '/tmp')",
                "sql 'node': 'CREATE TABLE' statements are not allowed; "
                        + TABLES
                        + ". DDL, INSERT, SET, EXECUTE, ADD JAR, LOAD MODULE and every other"
                        + " statement are refused");
    }

    @Test
    void testInsertIsRefused() {
        assertRefused(
                "INSERT INTO orders SELECT * FROM orders",
                "sql 'node': 'INSERT INTO' statements are not allowed; "
                        + TABLES
                        + ". DDL, INSERT, SET, EXECUTE, ADD JAR, LOAD MODULE and every other"
                        + " statement are refused");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "SET 'table.exec.state.ttl' = '1 h'|SET",
                "ADD JAR '/tmp/udf.jar'|ADD JAR",
                "LOAD MODULE hive|LOAD MODULE",
                "EXECUTE STATEMENT SET BEGIN INSERT INTO orders SELECT * FROM orders; END|"
                        + "EXECUTE STATEMENT",
                "EXPLAIN SELECT * FROM orders|EXPLAIN",
                "/* a comment */ DROP TABLE orders|DROP TABLE"
            })
    void testEveryOtherStatementIsRefused(String query, String kind) {
        assertRefused(
                query,
                "sql 'node': '"
                        + kind
                        + "' statements are not allowed; "
                        + TABLES
                        + ". DDL, INSERT, SET, EXECUTE, ADD JAR, LOAD MODULE and every other"
                        + " statement are refused");
    }

    @Test
    void testTwoStatementsAreRefused() {
        assertRefused(
                "SELECT * FROM orders; SELECT * FROM customers",
                "sql 'node': the query must be exactly one statement, but it holds several"
                        + " (separated by ';'); "
                        + TABLES);
    }

    @Test
    void testOneQueryMayEndWithASemicolon() {
        assertThat(plan("SELECT id FROM orders;", ORDERS_IN).outputSchema().getFields())
                .extracting(Schema.Field::name)
                .containsExactly("id");
    }

    @Test
    void testATableThatIsNotAnInputIsRefused() {
        assertRefused(
                "SELECT * FROM orders o JOIN payments p ON o.id = p.order_id",
                "sql 'node': table 'payments' (line 1, column 29) is not an input of this"
                        + " processor; its tables are its inputs: orders, customers");
    }

    @Test
    void testTableHintsAreRefused() {
        assertRefused(
                "SELECT * FROM orders /*+ OPTIONS('scan.startup.mode' = 'latest-offset') */",
                "sql 'node': table hints such as /*+ OPTIONS(...) */ are not allowed: the tables"
                        + " are the processor's inputs, not connector tables");
    }

    @Test
    void testAWindowOverAnInputWithoutEventTimeIsRefused() {
        assertRefused(
                "SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE orders,"
                        + " DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start",
                "sql 'node': windows need an event-time column, and the column given to"
                        + " DESCRIPTOR(...) (or a legacy group window) is not one; no input"
                        + " declares an event time: declare one with the source's eventTime"
                        + " option, e.g. \"eventTime\": {\"field\": \"ts\","
                        + " \"maxOutOfOrderness\": \"PT5S\"} (Flink: The window function requires"
                        + " the timecol is a time attribute type, but is TIMESTAMP(3).)");
    }

    @Test
    void testAWindowOverTheWrongInputNamesTheInputsWithEventTime() {
        assertRefused(
                "SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE customers,"
                        + " DESCRIPTOR(id), INTERVAL '1' MINUTE)) GROUP BY window_start",
                POINTER,
                "sql 'node': windows need an event-time column, and the column given to"
                        + " DESCRIPTOR(...) (or a legacy group window) is not one; the event-time"
                        + " columns are orders (ts); customers declare(s) none: declare one with"
                        + " the source's eventTime option, e.g. \"eventTime\": {\"field\": \"ts\","
                        + " \"maxOutOfOrderness\": \"PT5S\"} (Flink: The window function"
                        + " TUMBLE(TABLE table_name, DESCRIPTOR(timecol), datetime interval[,"
                        + " datetime interval]) requires the timecol to be TIMESTAMP or"
                        + " TIMESTAMP_LTZ, but is VARCHAR(2147483647). Besides, the timecol must"
                        + " be a time attribute type in streaming mode.)",
                TIMED_ORDERS_IN,
                CUSTOMERS_IN);
    }

    @Test
    void testAnUnnamedResultColumnIsRefused() {
        assertRefused(
                "SELECT customer, COUNT(*) FROM orders GROUP BY customer",
                "sql 'node': output column 2 is named 'EXPR$1', which is not a valid Avro field"
                        + " name (letters, digits and '_', not starting with a digit); name it"
                        + " with AS, e.g. COUNT(*) AS orders");
    }

    @Test
    void testAGroupByColumnThatIsNotAnOutputColumnIsRefused() {
        assertRefused(
                "SELECT COUNT(*) AS n FROM orders GROUP BY customer",
                "sql 'node': the output of an aggregate is keyed by its GROUP BY columns, so each"
                        + " must be an output column: GROUP BY customer (line 1, column 43) is not"
                        + " an output column; add it to the SELECT list");
    }

    @Test
    void testAnUnknownColumnListsTheInputsColumns() {
        assertRefused(
                "SELECT amout FROM orders",
                "sql 'node': column 'amout' (line 1, column 8) does not exist; the inputs'"
                        + " columns are: orders (id, customer, amount, note, ts); customers (id,"
                        + " name, tier)");
    }

    @Test
    void testAFieldWithoutSqlTypeSaysWhy() {
        Schema mixed =
                SqlFixtures.parse(
                        "{\"type\":\"record\",\"name\":\"M\",\"fields\":["
                                + "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"payload\",\"type\":[\"int\",\"string\"]}]}");

        assertRefused(
                "SELECT payload FROM mixed",
                POINTER,
                "sql 'node': field 'payload' (line 1, column 8) of input 'mixed' cannot be read in"
                        + " SQL: it is a union of several types (int, string)",
                new StreamDescriptor("mixed", mixed, StreamKind.APPEND));
        assertThat(
                        plan(
                                        "SELECT * FROM mixed",
                                        new StreamDescriptor("mixed", mixed, StreamKind.APPEND))
                                .outputSchema()
                                .getFields())
                .extracting(Schema.Field::name)
                .containsExactly("id");
    }

    @Test
    void testAResultTypeAvroCannotHoldIsRefused() {
        assertRefused(
                "SELECT INTERVAL '1' DAY AS d FROM orders",
                "sql 'node': output column 'd' has type INTERVAL SECOND(3) NOT NULL: Avro cannot"
                        + " hold INTERVAL_DAY_TIME values; CAST it to a string, number or"
                        + " timestamp");
    }

    @Test
    void testSyntaxErrorsSayWhere() {
        assertRefused(
                "SELECT id FROM orders WHERE",
                "sql 'node': Encountered \"<EOF>\" at line 1, column 27.");
        assertRefused(
                "SELEC 1",
                "sql 'node': the text is not a query: it must start with SELECT, WITH or VALUES");
    }

    @Test
    void testAnEmptyQueryIsRefused() {
        assertRefused("  ", "sql 'node': the query is empty; write one SELECT over the inputs");
    }

    @Test
    void testAnEventTimeFieldThatIsNotALongPointsAtTheInput() {
        assertRefused(
                "SELECT * FROM orders",
                "/processors/0/inputs/0",
                "sql 'node': input 'orders': its event-time field 'note' has type null, string;"
                        + " an event time is a long of epoch milliseconds or a"
                        + " timestamp-millis/-micros long",
                ORDERS_IN.withEventTime(new EventTime("note", Duration.ZERO, Duration.ZERO)));
    }
}

package dev.sluice.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.connectors.sink.Records;
import dev.sluice.connectors.sink.TestSinkContexts;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.SinkFactory;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/**
 * The {@code jdbc} sink against a real database: plan-time checks, and Flink jobs that apply a
 * changelog, read back over JDBC. Subclasses bring the database and its DDL.
 */
abstract class JdbcSinkITCaseBase {

    static final Schema ITEM =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Item\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"name\",\"type\":\"string\"},"
                                    + "{\"name\":\"price\",\"type\":[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":10,\"scale\":2}]},"
                                    + "{\"name\":\"created_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                                    + "{\"name\":\"day\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
                                    + "{\"name\":\"active\",\"type\":\"boolean\"},"
                                    + "{\"name\":\"payload\",\"type\":[\"null\",\"bytes\"]},"
                                    + "{\"name\":\"unknown_field\",\"type\":[\"null\",\"string\"]},"
                                    + "{\"name\":\"__op\",\"type\":\"string\"},"
                                    + "{\"name\":\"__ts_ms\",\"type\":\"long\"}]}");
    static final Schema UPSERT_ITEM =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Item\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"name\",\"type\":\"string\"}]}");
    static final Schema KEY =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"ItemKey\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"}]}");
    static final long T0 = 1_700_000_000_123L;

    /** The URL of the test database. */
    abstract String url();

    abstract String user();

    abstract String password();

    /** Runs statements in the test database. */
    abstract void execute(String... sql);

    abstract Connection connect() throws SQLException;

    /**
     * DDL of {@code items}: the columns of {@link #ITEM} plus note (NOT NULL DEFAULT) and extra.
     */
    abstract String itemsTable(String name);

    /** Reads a timestamp column as an instant. */
    abstract Instant instant(ResultSet rs, String column) throws SQLException;

    /** The qualified name the sink reports for a table of the test database. */
    abstract String qualified(String table);

    // ---------------------------------------------------------------- the changelog

    @Test
    void aChangelogIsUpsertedAndDeletedByKeyAndAReplayLeavesTheSameTable() throws Exception {
        execute(itemsTable("items"));
        List<SluiceRecord> changes = new ArrayList<>();
        for (long id = 1; id <= 5; id++) {
            changes.add(item(id, "item-" + id, "1" + id + ".50", "r"));
        }
        changes.add(item(1, "item-1-v2", "11.50", "u"));
        changes.add(item(3, "item-3", null, "u"));
        changes.add(item(2, "item-2", "12.50", "d"));
        changes.add(SluiceRecord.of(key(2), null, 0)); // follows the d: nothing to do
        changes.add(item(6, "item-6", "16.00", "c"));
        changes.add(item(7, "x".repeat(30), "17.00", "c")); // longer than varchar(20)

        List<DeadLetter> first = run(Map.of("table", "items"), cdcInput(), changes);
        Map<Long, String> afterFirst = rows("items");
        List<DeadLetter> second = run(Map.of("table", "items"), cdcInput(), changes);

        Map<Long, String> expected = new LinkedHashMap<>();
        expected.put(1L, "item-1-v2|11.50|true|01ff|n/a|null");
        expected.put(3L, "item-3|null|true|03ff|n/a|null");
        expected.put(4L, "item-4|14.50|true|04ff|n/a|null");
        expected.put(5L, "item-5|15.50|true|05ff|n/a|null");
        expected.put(6L, "item-6|16.00|true|06ff|n/a|null");
        assertThat(afterFirst).isEqualTo(expected);
        assertThat(rows("items")).isEqualTo(expected);
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT created_at, day FROM items WHERE id = 4")) {
            assertThat(rs.next()).isTrue();
            assertThat(instant(rs, "created_at")).isEqualTo(Instant.ofEpochMilli(T0 + 4));
            assertThat(rs.getObject("day", LocalDate.class)).isEqualTo(LocalDate.of(2024, 3, 4));
        }
        for (List<DeadLetter> deadLetters : List.of(first, second)) {
            assertThat(deadLetters).hasSize(1);
            assertThat(deadLetters.get(0).processorId).isEqualTo("sink");
            assertThat(deadLetters.get(0).errorMessage)
                    .isEqualTo(
                            "field 'name' has 30 characters; column 'name' (varchar(20)) holds 20");
        }
    }

    @Test
    void tombstonesOfAnUpsertStreamDeleteByKey() throws Exception {
        execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(20))");
        StreamDescriptor input =
                new StreamDescriptor("users", UPSERT_ITEM, StreamKind.CHANGELOG).withKeySchema(KEY);
        List<SluiceRecord> changes =
                List.of(
                        user(1, "ann"),
                        user(2, "bob"),
                        user(3, "cy"),
                        SluiceRecord.of(key(1), null, 0),
                        user(3, "cy-2"),
                        SluiceRecord.of(key(3), null, 0),
                        user(3, "cy-3"));

        List<DeadLetter> deadLetters = run(Map.of("table", "users"), input, changes);

        assertThat(deadLetters).isEmpty();
        Map<Long, String> rows = new LinkedHashMap<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name FROM users ORDER BY id")) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getString(2));
            }
        }
        assertThat(rows).isEqualTo(Map.of(2L, "bob", 3L, "cy-3"));
    }

    // ---------------------------------------------------------------- plan-time refusals

    @Test
    void aMissingTableIsRefused() {
        assertRefused(
                Map.of("table", "no_such_table"),
                "/sinks/0/config/table",
                "/sinks/0/config/table: table 'no_such_table' does not exist at "
                        + url()
                        + "; the jdbc sink writes an existing table");
    }

    @Test
    void aTableWithoutPrimaryKeyIsRefused() {
        execute("CREATE TABLE nopk (id BIGINT, name VARCHAR(20))");

        assertRefused(
                Map.of("table", "nopk"),
                "/sinks/0/config/table",
                "/sinks/0/config/table: table '"
                        + qualified("nopk")
                        + "' has no primary key; the jdbc sink upserts and deletes by primary key");
    }

    @Test
    void aNotNullColumnThatNoFieldFeedsIsRefused() {
        execute(
                "CREATE TABLE strict_items (id BIGINT PRIMARY KEY, name VARCHAR(20), sku VARCHAR(10) NOT NULL)");

        assertRefused(
                Map.of("table", "strict_items"),
                "/sinks/0/config/table",
                "/sinks/0/config/table: column 'sku' of table '"
                        + qualified("strict_items")
                        + "' is NOT NULL without a default, and no field of input 'items' feeds"
                        + " it (fields: id, name, price, created_at, day, active, payload,"
                        + " unknown_field)");
    }

    @Test
    void aColumnThatCannotHoldItsFieldIsRefused() {
        execute("CREATE TABLE mismatch (id BIGINT PRIMARY KEY, name INT)");

        ConfigValidationException e = refusal(Map.of("table", "mismatch"));

        assertThat(e.pointer()).isEqualTo("/sinks/0/config/table");
        assertThat(e.getMessage())
                .startsWith("/sinks/0/config/table: column 'name' (")
                .endsWith(
                        ") of table '"
                                + qualified("mismatch")
                                + "' cannot hold field 'name' (string) of input 'items'");
    }

    @Test
    void aPrimaryKeyColumnWithoutFieldIsRefused() {
        execute("CREATE TABLE keyed (sku VARCHAR(10) PRIMARY KEY, name VARCHAR(20))");

        assertRefused(
                Map.of("table", "keyed"),
                "/sinks/0/config/table",
                "/sinks/0/config/table: primary key column 'sku' of table '"
                        + qualified("keyed")
                        + "' is fed by no field of input 'items' (fields: id, name, price,"
                        + " created_at, day, active, payload, unknown_field)");
    }

    @Test
    void aWrongPasswordIsRefusedAtUsernameWithTheDriversMessage() {
        String login = loginWithPassword();
        Map<String, Object> config = new LinkedHashMap<>(config(Map.of("table", "items")));
        config.put("username", login);
        config.put("password", "wrong-secret");

        ConfigValidationException e = refusalWith(config);

        assertThat(e.pointer()).isEqualTo("/sinks/0/config/username");
        assertThat(e.getMessage())
                .startsWith(
                        "/sinks/0/config/username: cannot log in to "
                                + url()
                                + " as '"
                                + login
                                + "': ")
                .contains(wrongPasswordFragment())
                .doesNotContain("wrong-secret");
    }

    /** A user whose password the server checks (its password is not "wrong-secret"). */
    abstract String loginWithPassword();

    /** What the driver says when the password is wrong. */
    abstract String wrongPasswordFragment();

    // ---------------------------------------------------------------- helpers

    StreamDescriptor cdcInput() {
        return new StreamDescriptor("items", ITEM, StreamKind.CHANGELOG).withKeySchema(KEY);
    }

    Map<String, Object> config(Map<String, Object> extra) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("url", url());
        config.put("username", user());
        config.put("password", password());
        config.putAll(extra);
        return config;
    }

    void assertRefused(Map<String, Object> extra, String pointer, String message) {
        ConfigValidationException e = refusal(extra);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.pointer()).isEqualTo(pointer);
    }

    ConfigValidationException refusal(Map<String, Object> extra) {
        return refusalWith(config(extra));
    }

    ConfigValidationException refusalWith(Map<String, Object> config) {
        Throwable t =
                org.assertj.core.api.Assertions.catchThrowable(() -> plan(config, cdcInput()));
        assertThat(t).isInstanceOf(ConfigValidationException.class);
        return (ConfigValidationException) t;
    }

    SinkFactory.PlannedSink plan(Map<String, Object> config, StreamDescriptor input) {
        return TestSinkContexts.plan(new JdbcSinkFactory(), config, input, "db-pipe", Map.of());
    }

    /** Plans and runs the sink over {@code records} in a local Flink job; its dead letters. */
    List<DeadLetter> run(
            Map<String, Object> extra, StreamDescriptor input, List<SluiceRecord> records)
            throws Exception {
        SinkFactory.PlannedSink planned = plan(config(extra), input);
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(32));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(32));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(32));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        env.enableCheckpointing(200);
        TestSinkContexts.Translation ctx = TestSinkContexts.translation("db-pipe", 1);
        planned.translate(
                env.fromSource(
                        Records.source(input.schema(), records, 4),
                        WatermarkStrategy.noWatermarks(),
                        "records"),
                ctx);
        CloseableIterator<DeadLetter> deadLetters = ctx.deadLetters().collectAsync();
        env.execute("jdbc-sink-test");
        List<DeadLetter> out = new ArrayList<>();
        deadLetters.forEachRemaining(out::add);
        deadLetters.close();
        return out;
    }

    /** id → name|price|active|payload hex|note|extra, in id order. */
    Map<Long, String> rows(String table) throws SQLException {
        Map<Long, String> out = new LinkedHashMap<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT id, name, price, active, payload, note, extra FROM "
                                        + table
                                        + " ORDER BY id")) {
            while (rs.next()) {
                BigDecimal price = rs.getBigDecimal("price");
                byte[] payload = rs.getBytes("payload");
                out.put(
                        rs.getLong("id"),
                        rs.getString("name")
                                + "|"
                                + (price == null ? "null" : price.toPlainString())
                                + "|"
                                + rs.getBoolean("active")
                                + "|"
                                + (payload == null ? "null" : HexFormat.of().formatHex(payload))
                                + "|"
                                + rs.getString("note")
                                + "|"
                                + rs.getObject("extra"));
            }
        }
        return out;
    }

    static SluiceRecord item(long id, String name, String price, String op) {
        GenericRecord v = new GenericData.Record(ITEM);
        v.put("id", id);
        v.put("name", name);
        v.put(
                "price",
                price == null
                        ? null
                        : ByteBuffer.wrap(new BigDecimal(price).unscaledValue().toByteArray()));
        v.put("created_at", T0 + id);
        v.put("day", (int) LocalDate.of(2024, 3, (int) id).toEpochDay());
        v.put("active", true);
        v.put("payload", ByteBuffer.wrap(new byte[] {(byte) id, (byte) 0xFF}));
        v.put("unknown_field", "not written");
        v.put("__op", op);
        v.put("__ts_ms", T0);
        return SluiceRecord.of(key(id), v, id);
    }

    static SluiceRecord user(long id, String name) {
        GenericRecord v = new GenericData.Record(UPSERT_ITEM);
        v.put("id", id);
        v.put("name", name);
        return SluiceRecord.of(key(id), v, id);
    }

    static byte[] key(long id) {
        GenericRecord k = new GenericData.Record(KEY);
        k.put("id", id);
        return Records.confluentKey(k, 3);
    }
}

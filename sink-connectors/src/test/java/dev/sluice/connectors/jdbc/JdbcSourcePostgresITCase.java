package dev.sluice.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.connectors.sink.TestSourceContexts;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.testing.db.PostgresServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code jdbc} source reading a real PostgreSQL. */
class JdbcSourcePostgresITCase extends JdbcSourceITCaseBase {
    private static final String DATABASE = "source";
    private static PostgresServer server;

    @BeforeAll
    static void start() {
        server = PostgresServer.start();
        server.createDatabase(DATABASE);
        server.execute(
                DATABASE,
                "CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, note TEXT,"
                        + " qty INT, small SMALLINT, price NUMERIC(10,2), ratio NUMERIC,"
                        + " weight REAL, score DOUBLE PRECISION, active BOOLEAN, day DATE,"
                        + " at_time TIME, created TIMESTAMP, created_tz TIMESTAMPTZ,"
                        + " payload BYTEA, uid UUID, doc JSONB, \"Order-No\" INT)",
                "INSERT INTO items VALUES (1, 'ann', 'first', 5, 1, 12.50, 3.25, 1.5, 2.25, true,"
                        + " '2024-03-01', '10:15:30.123456', '2024-03-01 10:15:30.123456',"
                        + " '2024-03-01 10:15:30.123456+01', '\\x01ff',"
                        + " '6b1f8b1e-0000-4000-8000-000000000001', '{\"a\": 1}', 7)",
                "INSERT INTO items (id, name) VALUES (2, 'bob')",
                "INSERT INTO items VALUES (3, 'cy', 'third', 10, -2, -0.05, 0.1, -1.25, 1e10,"
                        + " false, '1969-12-31', '00:00:00', '1900-01-01 00:00:00',"
                        + " '2000-01-01 00:00:00+00', '\\x',"
                        + " '00000000-0000-0000-0000-000000000000', '[1, 2]', 0)",
                "INSERT INTO items VALUES (4, 'dee', '', 20, 300, 99999999.99,"
                        + " 123456789.123456789, 0, -0.5, true, '2099-12-31',"
                        + " '23:59:59.999999', '2099-12-31 23:59:59.999999',"
                        + " '2099-12-31 23:59:59.999999-05', '\\xdeadbeef', NULL, 'null', NULL)",
                "CREATE TABLE events (id INT PRIMARY KEY, day DATE)",
                "INSERT INTO events VALUES (1, '2024-01-01'), (2, 'infinity'), (3, '2024-01-03')");
        server.createReplicationRole("reader", "right-secret");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    String url() {
        return server.jdbcUrl(DATABASE);
    }

    @Override
    String user() {
        return PostgresServer.SUPERUSER;
    }

    @Override
    String password() {
        return PostgresServer.SUPERUSER_PASSWORD;
    }

    @Override
    List<String> expectedItemFields() {
        return List.of(
                "id long",
                "name string",
                "note [null, string]",
                "qty [null, int]",
                "small [null, int]",
                "price [null, decimal(10, 2)]",
                "ratio [null, double]",
                "weight [null, float]",
                "score [null, double]",
                "active [null, boolean]",
                "day [null, int (date)]",
                "at_time [null, long (time-micros)]",
                "created [null, long (local-timestamp-micros)]",
                "created_tz [null, long (timestamp-micros)]",
                "payload [null, bytes]",
                "uid [null, string]",
                "doc [null, string]",
                "Order_No [null, int]");
    }

    @Override
    List<String> expectedItemRows() {
        return List.of(
                "id=1, name=ann, note=first, qty=5, small=1, price=12.50, ratio=3.25,"
                        + " weight=1.5, score=2.25, active=true, day=2024-03-01,"
                        + " at_time=10:15:30.123456, created=2024-03-01T10:15:30.123456,"
                        + " created_tz=2024-03-01T09:15:30.123456Z, payload=01ff,"
                        + " uid=6b1f8b1e-0000-4000-8000-000000000001, doc={\"a\": 1},"
                        + " Order_No=7",
                "id=2, name=bob, note=null, qty=null, small=null, price=null, ratio=null,"
                        + " weight=null, score=null, active=null, day=null, at_time=null,"
                        + " created=null, created_tz=null, payload=null, uid=null, doc=null,"
                        + " Order_No=null",
                "id=3, name=cy, note=third, qty=10, small=-2, price=-0.05, ratio=0.1,"
                        + " weight=-1.25, score=1.0E10, active=false, day=1969-12-31,"
                        + " at_time=00:00, created=1900-01-01T00:00,"
                        + " created_tz=2000-01-01T00:00:00Z, payload=,"
                        + " uid=00000000-0000-0000-0000-000000000000, doc=[1, 2], Order_No=0",
                "id=4, name=dee, note=, qty=20, small=300, price=99999999.99,"
                        + " ratio=1.2345678912345679E8, weight=0.0, score=-0.5, active=true,"
                        + " day=2099-12-31, at_time=23:59:59.999999,"
                        + " created=2099-12-31T23:59:59.999999,"
                        + " created_tz=2100-01-01T04:59:59.999999Z, payload=deadbeef,"
                        + " uid=null, doc=null, Order_No=null");
    }

    @Override
    String queryTwiceField() {
        return "twice [null, int]";
    }

    @Override
    String loginWithPassword() {
        return "reader";
    }

    @Override
    String wrongPasswordFragment() {
        return "password authentication failed for user \"reader\"";
    }

    @Override
    String unknownColumnFragment() {
        return "column \"nope\" does not exist";
    }

    @Test
    void theColumnsRealNameIsKeptWhenItIsNoAvroName() {
        assertThat(
                        plan(Map.of("table", "items"))
                                .output()
                                .schema()
                                .getField("Order_No")
                                .getProp(JdbcSourceFactory.COLUMN_PROPERTY))
                .isEqualTo("Order-No");
    }

    @Test
    void aValueWithoutAvroFormIsDeadLetteredAndTheOtherRowsAreRead() throws Exception {
        TestSourceContexts.Output out = run(Map.of("table", "events"), 1);

        assertThat(rows(out.records))
                .containsExactly("id=1, day=2024-01-01", "id=3, day=2024-01-03");
        assertThat(out.deadLetters).hasSize(1);
        DeadLetter dl = out.deadLetters.get(0);
        assertThat(dl.processorId).isEqualTo("source");
        assertThat(dl.errorClass).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(dl.errorMessage)
                .isEqualTo(
                        "column 'day' holds infinity, outside the range of an Avro date (row 2"
                                + " of split all of table 'public.events')");
        assertThat(dl.originalKey).isNull();
        assertThat(dl.originalValue).isNull();
        assertThat(dl.attempt).isEqualTo(1);
    }
}

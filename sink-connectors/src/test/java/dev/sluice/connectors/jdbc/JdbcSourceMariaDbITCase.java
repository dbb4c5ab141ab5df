package dev.sluice.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.connectors.sink.TestSourceContexts;
import dev.sluice.testing.db.MariaDbServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code jdbc} source reading a real MariaDB (also reached as {@code jdbc:mysql:}). */
class JdbcSourceMariaDbITCase extends JdbcSourceITCaseBase {
    private static final String DATABASE = "source";
    private static MariaDbServer server;

    @BeforeAll
    static void start() {
        assertThat(MariaDbServer.available())
                .as("mariadbd installed (apt-get install mariadb-server) or Docker")
                .isTrue();
        server = MariaDbServer.start();
        server.createDatabase(DATABASE);
        server.execute(
                DATABASE,
                "CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, note TEXT,"
                        + " qty INT, small SMALLINT, price DECIMAL(10,2), weight FLOAT,"
                        + " score DOUBLE, active BOOLEAN, day DATE, at_time TIME(6),"
                        + " created DATETIME(6), payload BLOB, big_u BIGINT UNSIGNED,"
                        + " int_u INT UNSIGNED, doc JSON, `Order-No` INT)",
                "INSERT INTO items VALUES (1, 'ann', 'first', 5, 1, 12.50, 1.5, 2.25, true,"
                        + " '2024-03-01', '10:15:30.123456', '2024-03-01 10:15:30.123456',"
                        + " x'01ff', 18446744073709551615, 4294967295, '{\"a\": 1}', 7)",
                "INSERT INTO items (id, name) VALUES (2, 'bob')",
                "INSERT INTO items VALUES (3, 'cy', 'third', 10, -2, -0.05, -1.25, 1e10, false,"
                        + " '1969-12-31', '00:00:00', '1900-01-01 00:00:00', x'', 0, 0,"
                        + " '[1, 2]', 0)",
                "INSERT INTO items VALUES (4, 'dee', '', 20, 300, 99999999.99, 0, -0.5, true,"
                        + " '2099-12-31', '23:59:59.999999', '2099-12-31 23:59:59.999999',"
                        + " x'deadbeef', 1, 1, 'null', NULL)");
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
        return MariaDbServer.ROOT;
    }

    @Override
    String password() {
        return MariaDbServer.ROOT_PASSWORD;
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
                "weight [null, float]",
                "score [null, double]",
                "active [null, boolean]",
                "day [null, int (date)]",
                "at_time [null, long (time-micros)]",
                "created [null, long (local-timestamp-micros)]",
                "payload [null, bytes]",
                "big_u [null, decimal(20, 0)]",
                "int_u [null, long]",
                "doc [null, string]",
                "Order_No [null, int]");
    }

    @Override
    List<String> expectedItemRows() {
        return List.of(
                "id=1, name=ann, note=first, qty=5, small=1, price=12.50, weight=1.5,"
                        + " score=2.25, active=true, day=2024-03-01, at_time=10:15:30.123456,"
                        + " created=2024-03-01T10:15:30.123456, payload=01ff,"
                        + " big_u=18446744073709551615, int_u=4294967295, doc={\"a\": 1},"
                        + " Order_No=7",
                "id=2, name=bob, note=null, qty=null, small=null, price=null, weight=null,"
                        + " score=null, active=null, day=null, at_time=null, created=null,"
                        + " payload=null, big_u=null, int_u=null, doc=null, Order_No=null",
                "id=3, name=cy, note=third, qty=10, small=-2, price=-0.05, weight=-1.25,"
                        + " score=1.0E10, active=false, day=1969-12-31, at_time=00:00,"
                        + " created=1900-01-01T00:00, payload=, big_u=0, int_u=0, doc=[1, 2],"
                        + " Order_No=0",
                "id=4, name=dee, note=, qty=20, small=300, price=99999999.99, weight=0.0,"
                        + " score=-0.5, active=true, day=2099-12-31, at_time=23:59:59.999999,"
                        + " created=2099-12-31T23:59:59.999999, payload=deadbeef, big_u=1,"
                        + " int_u=1, doc=null, Order_No=null");
    }

    @Override
    String queryTwiceField() {
        return "twice [null, long]";
    }

    @Override
    String loginWithPassword() {
        return MariaDbServer.ROOT;
    }

    @Override
    String wrongPasswordFragment() {
        return "Access denied for user 'root'";
    }

    @Override
    String unknownColumnFragment() {
        return "Unknown column 'nope'";
    }

    @Test
    void aMysqlUrlIsServedByTheMariaDbDriver() throws Exception {
        Map<String, Object> config = config(Map.of("table", "items"));
        config.put("url", url().replace("jdbc:mariadb:", "jdbc:mysql:"));

        TestSourceContexts.Output out =
                TestSourceContexts.runBatch(
                        TestSourceContexts.plan(
                                new JdbcSourceFactory(), config, PIPELINE, Map.of(), true),
                        PIPELINE,
                        1);

        assertThat(rows(out.records)).containsExactlyElementsOf(expectedItemRows());
    }
}

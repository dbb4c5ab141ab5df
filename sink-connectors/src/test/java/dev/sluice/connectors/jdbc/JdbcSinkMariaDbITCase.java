package dev.sluice.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.db.MariaDbServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code jdbc} sink into a real MariaDB (also reached as {@code jdbc:mysql:}). */
class JdbcSinkMariaDbITCase extends JdbcSinkITCaseBase {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static MariaDbServer server;
    private String database;

    @BeforeAll
    static void start() {
        assertThat(MariaDbServer.available())
                .as("mariadbd installed (apt-get install mariadb-server) or Docker")
                .isTrue();
        server = MariaDbServer.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void database() {
        database = "sink" + DATABASES.incrementAndGet();
        server.createDatabase(database);
    }

    @Override
    String url() {
        return server.jdbcUrl(database);
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
    void execute(String... sql) {
        server.execute(database, sql);
    }

    @Override
    Connection connect() throws SQLException {
        return server.connectAsRoot(database);
    }

    @Override
    String itemsTable(String name) {
        return "CREATE TABLE "
                + name
                + " (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, price DECIMAL(10,2),"
                + " created_at DATETIME(3), day DATE, active BOOLEAN, payload BLOB,"
                + " note VARCHAR(10) NOT NULL DEFAULT 'n/a', extra INT)";
    }

    @Override
    Instant instant(ResultSet rs, String column) throws SQLException {
        // Instants go into DATETIME as UTC wall time.
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    @Override
    String qualified(String table) {
        return database + "." + table;
    }

    @Override
    String loginWithPassword() {
        return MariaDbServer.ROOT;
    }

    @Override
    String wrongPasswordFragment() {
        return "Access denied for user 'root'";
    }

    @Test
    void aMysqlUrlIsServedByTheMariaDbDriver() throws Exception {
        execute("CREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHAR(20))");
        String mysqlUrl = url().replace("jdbc:mariadb:", "jdbc:mysql:");

        run(
                Map.of("table", "users", "url", mysqlUrl),
                new dev.sluice.sdk.StreamDescriptor(
                                "users", UPSERT_ITEM, dev.sluice.sdk.StreamKind.CHANGELOG)
                        .withKeySchema(KEY),
                java.util.List.of(user(1, "ann"), user(2, "bob"), user(1, "ann-2")));

        try (Connection c = connect();
                java.sql.Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), max(name) FROM users")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.getString(2)).isEqualTo("bob");
        }
    }
}

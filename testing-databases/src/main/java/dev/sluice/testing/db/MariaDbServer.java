package dev.sluice.testing.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A real MariaDB server for tests with the binary log on in ROW format (what change capture needs):
 * a {@code mariadb:10.11} container where a Docker engine answers, otherwise the machine's {@code
 * mariadbd} (Debian's {@code mariadb-server}, which {@code .ci/run} installs) started on a free
 * port with a private data directory, so nothing of a system server is touched.
 *
 * <p>{@code root} connects over TCP with {@link #ROOT_PASSWORD}. {@link #stop()} and {@link
 * #restart()} restart the same server on the same port with the same data.
 */
public final class MariaDbServer implements AutoCloseable {
    public static final String ROOT = "root";
    public static final String ROOT_PASSWORD = "sluice-root";

    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final Path dataDir;
    private final int port;
    private boolean binaryLog = true;
    private Process process;
    private GenericContainer<?> container;

    private MariaDbServer(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Whether a server can be started here: Docker answers, or {@code mariadbd} is installed. */
    public static boolean available() {
        return Docker.available() || binary("mariadbd", "mysqld") != null;
    }

    /**
     * Starts a local server with the binary log off (what change capture must refuse); needs the
     * machine's {@code mariadbd}.
     */
    public static MariaDbServer startWithoutBinaryLog() {
        try {
            MariaDbServer server =
                    new MariaDbServer(
                            Files.createTempDirectory("sluice-mariadb-"),
                            PostgresServer.freePort());
            server.binaryLog = false;
            server.install();
            server.startLocal();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start MariaDB", e);
        }
    }

    /** Starts a new server with empty data. */
    public static MariaDbServer start() {
        try {
            if (Docker.available()) {
                MariaDbServer server = new MariaDbServer(null, -1);
                server.startContainer();
                return server;
            }
            MariaDbServer server =
                    new MariaDbServer(
                            Files.createTempDirectory("sluice-mariadb-"),
                            PostgresServer.freePort());
            server.install();
            server.startLocal();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start MariaDB", e);
        }
    }

    @SuppressWarnings("resource")
    private void startContainer() {
        container =
                new GenericContainer<>("mariadb:10.11")
                        .withEnv("MARIADB_ROOT_PASSWORD", ROOT_PASSWORD)
                        .withCommand(
                                "--server-id=1",
                                "--log-bin=mariadb-bin",
                                "--binlog-format=ROW",
                                "--binlog-row-image=FULL")
                        .withExposedPorts(3306)
                        .waitingFor(
                                Wait.forLogMessage(".*ready for connections.*\\n", 2)
                                        .withStartupTimeout(STARTUP));
        container.start();
    }

    private void install() throws IOException {
        String installer = binary("mariadb-install-db", "mysql_install_db");
        if (installer == null) {
            throw new IllegalStateException(
                    "MariaDB is not installed: run `apt-get install -y mariadb-server` (the CI"
                            + " script does) or start Docker");
        }
        List<String> command = new ArrayList<>();
        command.add(installer);
        command.add("--no-defaults");
        command.add("--datadir=" + dataDir.resolve("data"));
        command.add("--auth-root-authentication-method=normal");
        command.add("--skip-test-db");
        command.add("--user=" + System.getProperty("user.name"));
        run(command, dataDir.resolve("install.log"), Duration.ofMinutes(2));
        String init =
                String.join(
                        "\n",
                        "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '"
                                + ROOT_PASSWORD
                                + "';",
                        "ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '" + ROOT_PASSWORD + "';",
                        "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;",
                        "");
        Files.writeString(dataDir.resolve("init.sql"), init, StandardCharsets.UTF_8);
    }

    private void startLocal() throws IOException {
        String server = binary("mariadbd", "mysqld");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                server,
                                "--no-defaults",
                                "--datadir=" + dataDir.resolve("data"),
                                "--port=" + port,
                                "--bind-address=127.0.0.1",
                                "--socket=" + dataDir.resolve("mysqld.sock"),
                                "--pid-file=" + dataDir.resolve("mysqld.pid"),
                                "--user=" + System.getProperty("user.name"),
                                "--skip-name-resolve",
                                "--server-id=1",
                                "--innodb-buffer-pool-size=64M",
                                "--init-file=" + dataDir.resolve("init.sql")));
        if (binaryLog) {
            command.add("--log-bin=" + dataDir.resolve("data").resolve("mariadb-bin"));
            command.add("--binlog-format=ROW");
            command.add("--binlog-row-image=FULL");
        }
        process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        dataDir.resolve("mariadbd.log").toFile()))
                        .start();
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(
                        "mariadbd exited with "
                                + process.exitValue()
                                + "; see "
                                + dataDir.resolve("mariadbd.log"));
            }
            try (Connection c = connectAsRoot("")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(200); // polling a server that is starting, with a deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while MariaDB started", e);
            }
        }
        throw new IllegalStateException("MariaDB did not accept connections in " + STARTUP, last);
    }

    private static void run(List<String> command, Path log, Duration timeout) throws IOException {
        Process p =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish in " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    command.get(0)
                            + " failed ("
                            + p.exitValue()
                            + "): "
                            + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    static String binary(String... names) {
        for (String name : names) {
            for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/usr/local/bin"}) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }

    /** Stops the server; its data stays for {@link #restart()}. */
    public void stop() {
        if (container != null) {
            container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
            return;
        }
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts the server again after {@link #stop()}, on the same port with the same data. */
    public void restart() {
        if (container != null) {
            container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
            return;
        }
        if (process == null) {
            try {
                startLocal();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public String host() {
        return container != null ? container.getHost() : "127.0.0.1";
    }

    public int port() {
        return container != null ? container.getMappedPort(3306) : port;
    }

    /** A JDBC URL (MariaDB driver) of {@code database}; an empty name connects to no database. */
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://" + host() + ":" + port() + "/" + database;
    }

    public Connection connect(String database, String user, String password) throws SQLException {
        return Sql.connect(jdbcUrl(database), user, password);
    }

    public Connection connectAsRoot(String database) throws SQLException {
        return connect(database, ROOT, ROOT_PASSWORD);
    }

    /** Runs statements as root, each on its own (autocommit). */
    public void execute(String database, String... statements) {
        Sql.execute(jdbcUrl(database), ROOT, ROOT_PASSWORD, statements);
    }

    public void createDatabase(String name) {
        execute("", "CREATE DATABASE `" + name + "`");
    }

    /**
     * Creates a user with what change capture needs and nothing more: {@code REPLICATION SLAVE,
     * REPLICATION CLIENT} on the server and {@code SELECT} on {@code database}.
     */
    public void createCaptureUser(String user, String password, String database) {
        String account = "'" + user + "'@'%'";
        execute(
                "",
                "CREATE USER " + account + " IDENTIFIED BY '" + password.replace("'", "''") + "'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO " + account,
                "GRANT SELECT ON `" + database + "`.* TO " + account);
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
            container = null;
            return;
        }
        stop();
        PostgresServer.deleteQuietly(dataDir);
    }
}

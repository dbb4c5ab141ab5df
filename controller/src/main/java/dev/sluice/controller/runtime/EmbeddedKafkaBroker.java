package dev.sluice.controller.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller roles) running inside the
 * Sluice controller's JVM.
 *
 * <p>Why it exists: {@code ./sluice up} must give pipelines a Kafka that kcat, librdkafka and
 * Flink's Kafka connector (including exactly-once sinks) use exactly like any other cluster,
 * without Docker or a separately installed broker. It runs Kafka's own server code ({@link
 * KafkaRaftServer}), not a fake, and keeps its data under the platform's data directory so that a
 * restart (clean or after {@code kill -9}) keeps topics and committed offsets.
 *
 * <p>The storage is formatted only when {@code meta.properties} is absent; afterwards the cluster
 * id recorded there is reused, so a data directory always belongs to the same cluster. The broker
 * is configured for one node: internal topics (consumer offsets, transaction state, share-group
 * state) use replication factor 1 and few partitions, and topic auto-creation stays on as in
 * Kafka's defaults.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker =
 *         EmbeddedKafkaBroker.builder().dataDir(dir).port(9092).build()) {
 *     broker.start(); // blocks until an Admin client can describe the cluster
 *     String bootstrap = broker.bootstrapServers(); // "127.0.0.1:9092"
 * }
 * }</pre>
 *
 * <p>An instance starts at most once; to restart, build a new one on the same data directory.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The host the broker listens on and advertises unless {@link Builder#host} says otherwise. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** Kafka's customary client port, used unless {@link Builder#port} says otherwise. */
    public static final int DEFAULT_PORT = 9092;

    /** How long {@link #start()} waits for the broker to answer an Admin client. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    /** The name of the directory under the data directory that holds all logs and metadata. */
    static final String LOG_DIR_NAME = "logs";

    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private static final String META_PROPERTIES = "meta.properties";
    private static final Duration READY_POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration READY_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private enum State {
        NEW,
        RUNNING,
        CLOSED
    }

    private final Path dataDir;
    private final String host;
    private final int requestedPort;
    private final int requestedControllerPort;
    private final Duration startTimeout;

    private State state = State.NEW;
    private KafkaRaftServer server;
    private int port;
    private int controllerPort;
    private String clusterId;

    private EmbeddedKafkaBroker(Builder builder) {
        this.dataDir = builder.dataDir.toAbsolutePath().normalize();
        this.host = builder.host;
        this.requestedPort = builder.port;
        this.requestedControllerPort = builder.controllerPort;
        this.startTimeout = builder.startTimeout;
    }

    /** Returns a builder; only {@link Builder#dataDir(Path)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the storage if needed, starts the broker and blocks until an Admin client can
     * describe the cluster.
     *
     * @throws IllegalStateException if a port is in use, the data directory cannot be used, the
     *     broker fails to start or is not ready within the start timeout, or this instance was
     *     started or closed before
     */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException(
                    "This Kafka broker was already "
                            + (state == State.RUNNING ? "started" : "closed")
                            + "; build a new EmbeddedKafkaBroker to start again on "
                            + dataDir);
        }
        long startNanos = System.nanoTime();
        long deadlineNanos = startNanos + startTimeout.toNanos();
        Path logDir = logDir();
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            state = State.CLOSED;
            throw new IllegalStateException(
                    "Cannot create the Kafka data directory " + logDir + ": " + e, e);
        }
        try {
            port = resolvePort(requestedPort, "port", -1);
            controllerPort = resolvePort(requestedControllerPort, "controllerPort", port);
            clusterId = formatIfNeeded(logDir);
        } catch (RuntimeException e) {
            state = State.CLOSED;
            throw e;
        }
        try {
            KafkaConfig config = KafkaConfig.fromProps(brokerProperties(logDir), false);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
        } catch (Exception e) {
            shutdownServer();
            state = State.CLOSED;
            throw new IllegalStateException(
                    "The embedded Kafka broker on "
                            + hostPort(host, port)
                            + " (data "
                            + dataDir
                            + ") failed to start: "
                            + e,
                    e);
        }
        try {
            awaitReady(deadlineNanos);
        } catch (RuntimeException e) {
            shutdownServer();
            state = State.CLOSED;
            throw e;
        }
        state = State.RUNNING;
        LOG.info(
                "Kafka broker ready on {} (cluster {}, data {}) in {} ms",
                bootstrapServers(),
                clusterId,
                dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code "127.0.0.1:9092"}. */
    public synchronized String bootstrapServers() {
        checkRunning("bootstrapServers()");
        return hostPort(host, port);
    }

    /** The client (PLAINTEXT) port the running broker listens on; the actual one if 0 was asked. */
    public synchronized int port() {
        checkRunning("port()");
        return port;
    }

    /** The KRaft controller port the running broker listens on. */
    public synchronized int controllerPort() {
        checkRunning("controllerPort()");
        return controllerPort;
    }

    /** The cluster id of the running broker; stable for a data directory across restarts. */
    public synchronized String clusterId() {
        checkRunning("clusterId()");
        return clusterId;
    }

    /** The data directory this broker was built with. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether {@link #start()} succeeded and {@link #close()} was not called yet. */
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /** Shuts the broker down cleanly and waits for it; does nothing if already closed. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasRunning = state == State.RUNNING;
        state = State.CLOSED;
        long startNanos = System.nanoTime();
        shutdownServer();
        if (wasRunning) {
            LOG.info(
                    "Kafka broker on {} stopped in {} ms",
                    hostPort(host, port),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker{host="
                + host
                + ", port="
                + (port != 0 ? port : requestedPort)
                + ", dataDir="
                + dataDir
                + '}';
    }

    Path logDir() {
        return dataDir.resolve(LOG_DIR_NAME);
    }

    private void checkRunning(String method) {
        if (state != State.RUNNING) {
            throw new IllegalStateException(
                    method + " needs a running broker; call start() first (state: " + state + ")");
        }
    }

    /** Returns {@code requested}, checked to be free, or a free port if {@code requested} is 0. */
    private int resolvePort(int requested, String name, int taken) {
        InetAddress address = address();
        if (requested != 0) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(address, requested));
            } catch (BindException e) {
                throw new IllegalStateException(
                        "Cannot start the embedded Kafka broker: "
                                + name
                                + " "
                                + requested
                                + " on "
                                + host
                                + " is already in use (another Kafka or process listens there);"
                                + " stop it or choose another "
                                + name
                                + " (0 picks a free one)",
                        e);
            } catch (IOException e) {
                throw new IllegalStateException(
                        "Cannot bind " + name + " " + requested + " on " + host + ": " + e, e);
            }
            return requested;
        }
        for (int attempt = 0; attempt < 10; attempt++) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(address, 0));
                int free = probe.getLocalPort();
                if (free != taken) {
                    return free;
                }
            } catch (IOException e) {
                throw new IllegalStateException(
                        "Cannot find a free " + name + " on " + host + ": " + e, e);
            }
        }
        throw new IllegalStateException("Cannot find a free " + name + " on " + host);
    }

    private InetAddress address() {
        try {
            return InetAddress.getByName(host);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot resolve host '" + host + "': " + e, e);
        }
    }

    /**
     * Formats {@code logDir} for a new single-node cluster unless it holds {@code meta.properties};
     * returns the cluster id either way.
     */
    private static String formatIfNeeded(Path logDir) {
        Path metaProperties = logDir.resolve(META_PROPERTIES);
        if (Files.exists(metaProperties)) {
            return readClusterId(metaProperties);
        }
        String newClusterId = Uuid.randomUuid().toString();
        Formatter formatter =
                new Formatter()
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setNodeId(NODE_ID)
                        .setClusterId(newClusterId)
                        .setDirectories(List.of(logDir.toString()))
                        .setMetadataLogDirectory(logDir.toString())
                        .setControllerListenerName(CONTROLLER_LISTENER)
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Cannot format the Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
        LOG.info("Formatted Kafka storage in {} for new cluster {}", logDir, newClusterId);
        return newClusterId;
    }

    private static String readClusterId(Path metaProperties) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + metaProperties + ": " + e, e);
        }
        String id = properties.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException(
                    metaProperties
                            + " has no 'cluster.id'; the Kafka data directory is damaged."
                            + " Remove it to start with an empty broker.");
        }
        return id.trim();
    }

    private Properties brokerProperties(Path logDir) {
        String brokerAddress = hostPort(host, port);
        String controllerAddress = hostPort(host, controllerPort);
        Properties props = new Properties();
        // One process is both the KRaft controller (a static quorum of itself) and the broker.
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", String.valueOf(NODE_ID));
        props.setProperty("controller.quorum.voters", NODE_ID + "@" + controllerAddress);
        props.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        props.setProperty(
                "listeners",
                BROKER_LISTENER
                        + "://"
                        + brokerAddress
                        + ","
                        + CONTROLLER_LISTENER
                        + "://"
                        + controllerAddress);
        props.setProperty("advertised.listeners", BROKER_LISTENER + "://" + brokerAddress);
        props.setProperty(
                "listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.setProperty("inter.broker.listener.name", BROKER_LISTENER);
        props.setProperty("log.dirs", logDir.toString());
        props.setProperty("metadata.log.dir", logDir.toString());
        // Topics: Kafka's defaults for a single node (auto-creation stays on, as in Kafka).
        props.setProperty("auto.create.topics.enable", "true");
        props.setProperty("num.partitions", "1");
        props.setProperty("default.replication.factor", "1");
        // Internal topics: one replica, few partitions so the first group/transaction is fast.
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "5");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("transaction.state.log.num.partitions", "5");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        // The cleaner allocates its dedupe buffer on the heap at startup (default 128 MiB), which
        // the controller's JVM shares with Flink; 32 MiB is plenty for a local broker.
        props.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(32 * 1024 * 1024));
        // Bound the blocking parts of startup() by the same deadline as readiness.
        props.setProperty("server.max.startup.time.ms", String.valueOf(startTimeout.toMillis()));
        return props;
    }

    /** Polls an Admin client until the cluster lists this broker or the deadline passes. */
    private void awaitReady(long deadlineNanos) {
        Properties adminProps = new Properties();
        adminProps.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, hostPort(host, port));
        adminProps.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-embedded-kafka-ready");
        Throwable lastError = null;
        try (Admin admin = Admin.create(adminProps)) {
            while (true) {
                long remainingNanos = deadlineNanos - System.nanoTime();
                if (remainingNanos <= 0) {
                    break;
                }
                long attemptStart = System.nanoTime();
                int attemptMs =
                        (int)
                                Math.max(
                                        1,
                                        Math.min(
                                                TimeUnit.NANOSECONDS.toMillis(remainingNanos),
                                                READY_ATTEMPT_TIMEOUT.toMillis()));
                try {
                    Collection<Node> nodes =
                            admin.describeCluster(new DescribeClusterOptions().timeoutMs(attemptMs))
                                    .nodes()
                                    .get(attemptMs + 1000L, TimeUnit.MILLISECONDS);
                    if (nodes.stream().anyMatch(node -> node.id() == NODE_ID)) {
                        return;
                    }
                } catch (ExecutionException e) {
                    lastError = e.getCause();
                } catch (TimeoutException e) {
                    lastError = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(
                            "Interrupted while waiting for the Kafka broker on "
                                    + hostPort(host, port),
                            e);
                }
                pauseUntil(attemptStart + READY_POLL_INTERVAL.toNanos(), deadlineNanos);
            }
        }
        throw new IllegalStateException(
                "The embedded Kafka broker on "
                        + hostPort(host, port)
                        + " (data "
                        + dataDir
                        + ") did not answer an Admin client within "
                        + startTimeout.toSeconds()
                        + " s"
                        + (lastError != null ? "; last error: " + lastError : ""),
                lastError);
    }

    /** Waits until {@code untilNanos} (capped by the deadline), so failed polls do not spin. */
    private static void pauseUntil(long untilNanos, long deadlineNanos) {
        long waitNanos = Math.min(untilNanos, deadlineNanos) - System.nanoTime();
        if (waitNanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Kafka", e);
            }
        }
    }

    private void shutdownServer() {
        KafkaRaftServer toStop = server;
        server = null;
        if (toStop == null) {
            return;
        }
        try {
            toStop.shutdown();
            toStop.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Error while shutting down the embedded Kafka broker on {}", dataDir, e);
        }
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Builds an {@link EmbeddedKafkaBroker}; validates each value as it is set. */
    public static final class Builder {
        private Path dataDir;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private int controllerPort = 0;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder() {}

        /** Required: the directory for the broker's logs and metadata (created if missing). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir must not be null");
            return this;
        }

        /**
         * The host (name or IP literal) to listen on and advertise to clients; default {@value
         * #DEFAULT_HOST}. A wildcard address cannot be advertised and is rejected.
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host must not be null");
            String trimmed = host.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            String lower = trimmed.toLowerCase(Locale.ROOT);
            if (lower.equals("0.0.0.0") || lower.equals("::") || lower.equals("[::]")) {
                throw new IllegalArgumentException(
                        "host '"
                                + host
                                + "' is a wildcard address, which clients cannot connect to;"
                                + " use a concrete host such as 127.0.0.1");
            }
            this.host = trimmed;
            return this;
        }

        /** The client port; default {@value #DEFAULT_PORT}; 0 picks a free port at start. */
        public Builder port(int port) {
            this.port = checkPort("port", port);
            return this;
        }

        /** The KRaft controller port; default 0, which picks a free port at start. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort("controllerPort", controllerPort);
            return this;
        }

        /** How long {@link #start()} may take before it fails; default 60 s. */
        public Builder startTimeout(Duration startTimeout) {
            Objects.requireNonNull(startTimeout, "startTimeout must not be null");
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException(
                        "startTimeout must be positive, was " + startTimeout);
            }
            this.startTimeout = startTimeout;
            return this;
        }

        /**
         * Returns the broker (not started).
         *
         * @throws IllegalStateException if no data directory was set or both ports are the same
         */
        public EmbeddedKafkaBroker build() {
            if (dataDir == null) {
                throw new IllegalStateException(
                        "dataDir is required: the directory for the broker's logs and metadata");
            }
            if (port != 0 && port == controllerPort) {
                throw new IllegalStateException(
                        "port and controllerPort must differ, both are " + port);
            }
            return new EmbeddedKafkaBroker(this);
        }

        private static int checkPort(String name, int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException(
                        name + " must be between 0 (pick a free port) and 65535, was " + value);
            }
            return value;
        }
    }
}

package dev.sluice.schemas.registry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded schema registry speaking the part of Confluent Schema Registry's REST API that
 * clients use ({@code /subjects}, {@code /schemas/ids}, {@code /config}, {@code /compatibility}),
 * for Avro schemas.
 *
 * <p>Exists because Confluent's registry cannot be used here: Sluice ships its own, so that
 * Confluent serializers, kcat and other tools work against it, while Sluice itself can equally
 * point at Confluent, Apicurio (ccompat) or Karapace. Plain JDK {@link HttpServer} on a small
 * thread pool; state in a {@link SchemaStore}, persisted under {@code storageDir} when given.
 *
 * <pre>{@code
 * try (SchemaRegistryServer registry =
 *         SchemaRegistryServer.builder().port(8085).storageDir(dir).build().start()) {
 *     String url = registry.url(); // http://127.0.0.1:8085
 * }
 * }</pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {

    /** Port used when none is set (Confluent's 8081 is Flink's dashboard in Sluice). */
    public static final int DEFAULT_PORT = 8085;

    /** Interface bound when none is set: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);

    static {
        // The JDK server flushes response headers and body in separate TCP segments; with Nagle's
        // algorithm on, the client's delayed ACK then adds ~40 ms to every request. The JDK reads
        // this property once, when its first HttpServer is created; an explicit setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String host;
    private final int requestedPort;
    private final Path storageDir;
    private final SchemaStore givenStore;
    private final int threads;

    private SchemaStore store;
    private HttpServer server;
    private InetSocketAddress boundAddress;
    private ExecutorService executor;
    private boolean closed;

    private SchemaRegistryServer(Builder builder) {
        this.host = builder.host;
        this.requestedPort = builder.port;
        this.storageDir = builder.storageDir;
        this.givenStore = builder.store;
        this.threads = builder.threads;
    }

    /** A builder with port {@value #DEFAULT_PORT}, host {@value #DEFAULT_HOST}, 4 threads. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the store and starts serving.
     *
     * @return this server
     * @throws IllegalStateException if started before or closed
     * @throws UncheckedIOException if the address cannot be bound
     */
    public synchronized SchemaRegistryServer start() {
        if (closed) {
            throw new IllegalStateException("schema registry server was closed");
        }
        if (server != null) {
            throw new IllegalStateException("schema registry server already started on " + url());
        }
        SchemaStore opened =
                givenStore != null
                        ? givenStore
                        : storageDir != null
                                ? SchemaStore.open(storageDir)
                                : SchemaStore.inMemory();
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, requestedPort), 64);
        } catch (IOException e) {
            if (opened != givenStore) {
                opened.close();
            }
            throw new UncheckedIOException(
                    "cannot bind the schema registry to " + host + ":" + requestedPort + ": " + e,
                    e);
        }
        executor = Executors.newFixedThreadPool(threads, new DaemonThreads());
        http.setExecutor(executor);
        http.createContext("/", new RegistryHttpHandler(opened));
        http.start();
        store = opened;
        server = http;
        boundAddress = http.getAddress();
        LOG.info(
                "Schema registry listening on {} (storage: {})",
                url(),
                store.stateFile().map(Path::toString).orElse("in memory"));
        return this;
    }

    /** The port actually bound (the ephemeral one when built with port 0). */
    public synchronized int port() {
        requireStarted();
        return boundAddress.getPort();
    }

    /** Base URL clients use, e.g. {@code http://127.0.0.1:8085} (no trailing slash). */
    public synchronized String url() {
        requireStarted();
        InetAddress address = boundAddress.getAddress();
        String urlHost;
        if (address.isAnyLocalAddress()) {
            urlHost = address instanceof Inet6Address ? "[::1]" : "127.0.0.1";
        } else if (address instanceof Inet6Address) {
            urlHost = "[" + address.getHostAddress() + "]";
        } else {
            urlHost = address.getHostAddress();
        }
        return "http://" + urlHost + ":" + port();
    }

    /** The store behind the server, for in-process use (same ids as the REST API). */
    public synchronized SchemaStore store() {
        requireStarted();
        return store;
    }

    /**
     * Stops serving and releases the storage directory (a store passed to the builder is left open:
     * its owner closes it). Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Schema registry request threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (store != givenStore) {
            store.close();
        }
        LOG.info("Schema registry on port {} stopped", boundAddress.getPort());
    }

    private void requireStarted() {
        if (server == null) {
            throw new IllegalStateException("schema registry server is not started; call start()");
        }
    }

    /** Daemon request threads, so an unclosed registry never keeps a JVM alive. */
    private static final class DaemonThreads implements ThreadFactory {
        private final AtomicInteger counter = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread =
                    new Thread(runnable, "sluice-schema-registry-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }

    /** Builds a {@link SchemaRegistryServer}; validates each setting as it is set. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Path storageDir;
        private SchemaStore store;
        private int threads = 4;

        private Builder() {}

        /** Interface to bind, e.g. {@code 0.0.0.0} for all; default {@value #DEFAULT_HOST}. */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /** TCP port, 0 for an ephemeral one; default {@value #DEFAULT_PORT}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(
                        "port must be between 0 (ephemeral) and 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Directory holding the registry state; a server restarted on it keeps ids, versions and
         * compatibility levels. Without it (and without {@link #store}) state is in memory only.
         */
        public Builder storageDir(Path storageDir) {
            this.storageDir = Objects.requireNonNull(storageDir, "storageDir");
            return this;
        }

        /** Serve an existing store (shared in-process with e.g. the controller) instead. */
        public Builder store(SchemaStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Request threads, 1 to 64; default 4. */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException(
                        "threads must be between 1 and 64, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** A server, not yet started. */
        public SchemaRegistryServer build() {
            if (storageDir != null && store != null) {
                throw new IllegalStateException(
                        "set either storageDir or store on the schema registry server, not both");
            }
            return new SchemaRegistryServer(this);
        }
    }
}

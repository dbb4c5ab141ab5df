package dev.sluice.controller.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the platform is started: ports, the data directory, and — when the user has outgrown one
 * machine — the addresses of an external Kafka and schema registry to use instead of the embedded
 * ones.
 */
public final class PlatformConfig {
    private final Path dataDir;
    private final Path pluginsDir;
    private final String host;
    private final int apiPort;
    private final int flinkPort;
    private final int registryPort;
    private final int kafkaPort;
    private final String externalKafka;
    private final String externalRegistry;
    private final String externalFlink;
    private final java.util.List<Path> runtimeJars;
    private final int taskSlots;
    private final java.util.function.Function<String, String> secrets;
    private final String icebergRestCatalog;

    private PlatformConfig(Builder b) {
        this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir").toAbsolutePath();
        this.pluginsDir = b.pluginsDir != null ? b.pluginsDir : this.dataDir.resolve("plugins");
        this.host = b.host;
        this.apiPort = b.apiPort;
        this.flinkPort = b.flinkPort;
        this.registryPort = b.registryPort;
        this.kafkaPort = b.kafkaPort;
        this.externalKafka = b.externalKafka;
        this.externalRegistry = b.externalRegistry;
        this.externalFlink = b.externalFlink;
        this.runtimeJars = java.util.List.copyOf(b.runtimeJars);
        if (b.taskSlots < 1) {
            throw new IllegalArgumentException("taskSlots must be >= 1, got " + b.taskSlots);
        }
        this.taskSlots = b.taskSlots;
        this.secrets = b.secrets;
        this.icebergRestCatalog = b.icebergRestCatalog;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path pluginsDir() {
        return pluginsDir;
    }

    public String host() {
        return host;
    }

    public int apiPort() {
        return apiPort;
    }

    public int flinkPort() {
        return flinkPort;
    }

    public int registryPort() {
        return registryPort;
    }

    public int kafkaPort() {
        return kafkaPort;
    }

    /** {@code bootstrap.servers} of an external Kafka, or {@code null} for the embedded broker. */
    public String externalKafka() {
        return externalKafka;
    }

    /** URL of an external registry, or {@code null} for the embedded one. */
    public String externalRegistry() {
        return externalRegistry;
    }

    /** REST URL of an external Flink cluster, or {@code null} for the embedded MiniCluster. */
    public String externalFlink() {
        return externalFlink;
    }

    /** Jars shipped with every job to an external Flink cluster (the Sluice runtime jar). */
    public java.util.List<Path> runtimeJars() {
        return runtimeJars;
    }

    public int taskSlots() {
        return taskSlots;
    }

    /**
     * Resolves {@code ${env:NAME}} references at deploy time: the process environment, unless the
     * embedding program (a test, a service wrapper) supplies its own lookup.
     */
    public java.util.function.Function<String, String> secrets() {
        return secrets;
    }

    /**
     * The platform's Iceberg catalog: a REST catalog at {@link #icebergRestCatalog()} when one is
     * given (the production option), else a Hadoop catalog on {@code <data-dir>/warehouse}.
     */
    public java.util.Map<String, String> icebergCatalog() {
        if (icebergRestCatalog != null) {
            return java.util.Map.of("type", "rest", "uri", icebergRestCatalog);
        }
        return java.util.Map.of(
                "type", "hadoop", "warehouse", dataDir.resolve("warehouse").toString());
    }

    /** The URL of an Iceberg REST catalog, or {@code null} for the embedded Hadoop catalog. */
    public String icebergRestCatalog() {
        return icebergRestCatalog;
    }

    /** Builds a {@link PlatformConfig}; defaults are the contract's ports and {@code ./.sluice}. */
    public static final class Builder {
        private Path dataDir = Path.of(".sluice");
        private Path pluginsDir;
        private String host = "127.0.0.1";
        private int apiPort = 8080;
        private int flinkPort = 8081;
        private int registryPort = 8085;
        private int kafkaPort = 9092;
        private String externalKafka;
        private String externalRegistry;
        private String externalFlink;
        private final java.util.List<Path> runtimeJars = new java.util.ArrayList<>();
        private int taskSlots = 16;
        private java.util.function.Function<String, String> secrets = System::getenv;
        private String icebergRestCatalog;

        /** Use the Iceberg REST catalog at {@code url} instead of the embedded Hadoop catalog. */
        public Builder icebergRestCatalog(String url) {
            this.icebergRestCatalog = Objects.requireNonNull(url, "url");
            return this;
        }

        /** Where {@code ${env:NAME}} references are looked up (default: the environment). */
        public Builder secrets(java.util.function.Function<String, String> v) {
            this.secrets = Objects.requireNonNull(v, "secrets");
            return this;
        }

        public Builder dataDir(Path v) {
            this.dataDir = v;
            return this;
        }

        public Builder pluginsDir(Path v) {
            this.pluginsDir = v;
            return this;
        }

        public Builder host(String v) {
            this.host = Objects.requireNonNull(v, "host");
            return this;
        }

        public Builder apiPort(int v) {
            this.apiPort = port("apiPort", v);
            return this;
        }

        public Builder flinkPort(int v) {
            this.flinkPort = port("flinkPort", v);
            return this;
        }

        public Builder registryPort(int v) {
            this.registryPort = port("registryPort", v);
            return this;
        }

        public Builder kafkaPort(int v) {
            this.kafkaPort = port("kafkaPort", v);
            return this;
        }

        public Builder externalKafka(String v) {
            this.externalKafka = v;
            return this;
        }

        public Builder externalRegistry(String v) {
            this.externalRegistry = v;
            return this;
        }

        public Builder externalFlink(String v) {
            this.externalFlink = v;
            return this;
        }

        public Builder runtimeJar(Path v) {
            this.runtimeJars.add(Objects.requireNonNull(v, "runtimeJar"));
            return this;
        }

        public Builder taskSlots(int v) {
            this.taskSlots = v;
            return this;
        }

        public PlatformConfig build() {
            return new PlatformConfig(this);
        }

        private static int port(String name, int v) {
            if (v < 0 || v > 65535) {
                throw new IllegalArgumentException(name + " must be 0-65535, got " + v);
            }
            return v;
        }
    }
}

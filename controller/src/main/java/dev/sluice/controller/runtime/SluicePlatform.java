package dev.sluice.controller.runtime;

import dev.sluice.controller.api.RestServer;
import dev.sluice.controller.deployment.JobSubmitter;
import dev.sluice.controller.deployment.KafkaProvisioner;
import dev.sluice.controller.deployment.MiniClusterJobSubmitter;
import dev.sluice.controller.deployment.RemoteClusterJobSubmitter;
import dev.sluice.controller.planning.FactoryRegistry;
import dev.sluice.controller.planning.PipelinePlanner;
import dev.sluice.controller.service.PipelineService;
import dev.sluice.controller.store.PipelineStore;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryServer;
import dev.sluice.sdk.factory.PlatformContext;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Sluice platform in one JVM: the schema registry, a real KRaft Kafka broker, a Flink
 * MiniCluster with its dashboard, and the controller's REST API, all with their state under one
 * data directory. Kafka, the registry and Flink can each be an external cluster instead: the same
 * pipelines run unchanged.
 */
public final class SluicePlatform implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SluicePlatform.class);

    private final PlatformConfig config;
    private final List<AutoCloseable> started = new ArrayList<>();
    private SchemaRegistryServer registryServer;
    private EmbeddedKafkaBroker broker;
    private MiniCluster miniCluster;
    private PipelineService service;
    private RestServer rest;
    private String registryUrl;
    private String bootstrapServers;
    private String flinkUrl;

    private SluicePlatform(PlatformConfig config) {
        this.config = config;
    }

    /** Starts every part and returns once all of them answer. */
    public static SluicePlatform start(PlatformConfig config) throws Exception {
        SluicePlatform platform = new SluicePlatform(config);
        try {
            platform.startAll();
            return platform;
        } catch (Exception e) {
            platform.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Path data = config.dataDir();
        Files.createDirectories(data);

        if (config.externalRegistry() == null) {
            registryServer =
                    SchemaRegistryServer.builder()
                            .host(config.host())
                            .port(config.registryPort())
                            .storageDir(data.resolve("registry"))
                            .build();
            registryServer.start();
            started.add(registryServer);
            registryUrl = registryServer.url();
        } else {
            registryUrl = config.externalRegistry();
        }

        if (config.externalKafka() == null) {
            broker =
                    EmbeddedKafkaBroker.builder()
                            .dataDir(data.resolve("kafka"))
                            .host(config.host())
                            .port(config.kafkaPort())
                            .build();
            broker.start();
            started.add(broker);
            bootstrapServers = broker.bootstrapServers();
        } else {
            bootstrapServers = config.externalKafka();
        }

        JobSubmitter submitter;
        if (config.externalFlink() == null) {
            Configuration flink = new Configuration();
            flink.set(RestOptions.BIND_ADDRESS, config.host());
            flink.set(RestOptions.ADDRESS, config.host());
            flink.set(RestOptions.PORT, config.flinkPort());
            flink.set(TaskManagerOptions.NUM_TASK_SLOTS, config.taskSlots());
            flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("256m"));
            flink.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("128m"));
            flink.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("128m"));
            // The metrics summary of GET /api/v1/pipelines/{name} is at most this old.
            flink.set(
                    org.apache.flink.configuration.MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL,
                    java.time.Duration.ofSeconds(2));
            miniCluster =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(flink)
                                    .setNumTaskManagers(1)
                                    .setNumSlotsPerTaskManager(config.taskSlots())
                                    .build());
            miniCluster.start();
            started.add(() -> miniCluster.closeAsync().get());
            flinkUrl = miniCluster.getRestAddress().get().toString();
            submitter = new MiniClusterJobSubmitter(miniCluster, flinkUrl);
        } else {
            for (Path jar : config.runtimeJars()) {
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalArgumentException(
                            "runtime jar "
                                    + jar
                                    + " does not exist; build it with 'mvn -pl deploy -am package'");
                }
            }
            submitter = new RemoteClusterJobSubmitter(config.externalFlink(), config.runtimeJars());
            started.add(submitter);
            flinkUrl = submitter.dashboardUrl();
        }

        PipelineStore store = PipelineStore.open(data.resolve("controller"));
        started.add(store);

        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        Admin admin = Admin.create(adminProps);
        started.add(admin);
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(registryUrl);

        List<Path> pluginJars = pluginJars(config.pluginsDir());
        FactoryRegistry factories = new FactoryRegistry(pluginClassLoader(pluginJars), pluginJars);
        PlatformContext platformContext =
                new EmbeddedPlatformContext(
                        bootstrapServers, registryUrl, registry, config.icebergCatalog());
        service =
                new PipelineService(
                        store,
                        new PipelinePlanner(factories, platformContext),
                        submitter,
                        new KafkaProvisioner(admin, registry),
                        data,
                        bootstrapServers,
                        config.secrets(),
                        registry);
        started.add(service);
        service.start();

        rest = new RestServer(service, config.host(), config.apiPort(), flinkUrl);
        rest.start();
        started.add(rest);
        LOG.info("Sluice platform started in {}", data);
    }

    /** The {@code *.jar} files of the plugins directory, sorted; none if it does not exist. */
    private static List<Path> pluginJars(Path pluginsDir) throws IOException {
        if (!Files.isDirectory(pluginsDir)) {
            return List.of();
        }
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(pluginsDir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)) {
                    jars.add(p.toAbsolutePath());
                }
            }
        }
        jars.sort(null);
        return jars;
    }

    /** A class loader that sees the plugin jars on top of the platform's own classes. */
    private static ClassLoader pluginClassLoader(List<Path> jars) throws IOException {
        ClassLoader parent = SluicePlatform.class.getClassLoader();
        if (jars.isEmpty()) {
            return parent;
        }
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            urls.add(jar.toUri().toURL());
        }
        LOG.info("loading plugins: {}", jars);
        return new URLClassLoader(urls.toArray(new URL[0]), parent);
    }

    public String apiUrl() {
        return "http://" + config.host() + ":" + rest.port();
    }

    public String flinkUrl() {
        return flinkUrl;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public PlatformConfig config() {
        return config;
    }

    /**
     * Stops everything: running jobs with a savepoint first (so a restart resumes exactly where
     * they stopped), then the API, Flink, Kafka and the registry, in reverse order of start.
     */
    @Override
    public void close() {
        if (service != null) {
            try {
                service.stopAll();
            } catch (Exception e) {
                LOG.warn("stopping pipelines failed: {}", e.toString());
            }
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn(
                        "stopping {} failed: {}",
                        started.get(i).getClass().getSimpleName(),
                        e.toString());
            }
        }
        started.clear();
    }

    /** The platform as nodes see it at plan time. */
    private static final class EmbeddedPlatformContext implements PlatformContext {
        private final String bootstrapServers;
        private final String registryUrl;
        private final SchemaRegistryClient registry;
        private final Map<String, String> icebergCatalog;

        EmbeddedPlatformContext(
                String bootstrapServers,
                String registryUrl,
                SchemaRegistryClient registry,
                Map<String, String> icebergCatalog) {
            this.bootstrapServers = bootstrapServers;
            this.registryUrl = registryUrl;
            this.registry = registry;
            this.icebergCatalog = Map.copyOf(icebergCatalog);
        }

        @Override
        public Map<String, String> icebergCatalog() {
            return icebergCatalog;
        }

        @Override
        public String kafkaBootstrapServers() {
            return bootstrapServers;
        }

        @Override
        public Map<String, String> kafkaClientProperties() {
            return Map.of();
        }

        @Override
        public String schemaRegistryUrl() {
            return registryUrl;
        }

        @Override
        public SchemaRegistryClient schemaRegistry() {
            return registry;
        }
    }
}

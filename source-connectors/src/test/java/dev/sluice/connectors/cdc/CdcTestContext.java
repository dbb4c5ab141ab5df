package dev.sluice.connectors.cdc;

import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.Delivery;
import dev.sluice.sdk.factory.NodeContext;
import dev.sluice.sdk.factory.PlatformContext;
import dev.sluice.sdk.factory.Provisioner;
import dev.sluice.sdk.factory.SourceFactory;
import dev.sluice.sdk.factory.TopicSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A source node as the controller plans it: config validated against the factory's options, at
 * {@code /sources/0}, in pipeline {@code shop}; the platform is a schema registry (Kafka is not
 * contacted while planning).
 */
final class CdcTestContext implements NodeContext {
    private final SourceFactory factory;
    private final NodeOptions options;
    private final String registryUrl;
    private final String nodeId;

    CdcTestContext(
            SourceFactory factory, String registryUrl, String nodeId, Map<String, Object> config) {
        this.factory = factory;
        this.registryUrl = registryUrl;
        this.nodeId = nodeId;
        this.options =
                NodeOptions.validate(
                        factory.identifier(),
                        factory.requiredOptions(),
                        factory.optionalOptions(),
                        config,
                        "/sources/0/config");
    }

    static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> config = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    SourceFactory.PlannedSource plan() {
        return factory.plan(this);
    }

    @Override
    public String pipelineName() {
        return "shop";
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public String pointer() {
        return "/sources/0";
    }

    @Override
    public NodeOptions options() {
        return options;
    }

    @Override
    public Delivery delivery() {
        return Delivery.EXACTLY_ONCE;
    }

    @Override
    public PlatformContext platform() {
        String url = registryUrl;
        return new PlatformContext() {
            @Override
            public String kafkaBootstrapServers() {
                return "127.0.0.1:9";
            }

            @Override
            public Map<String, String> kafkaClientProperties() {
                return Map.of();
            }

            @Override
            public String schemaRegistryUrl() {
                return url;
            }

            @Override
            public SchemaRegistryClient schemaRegistry() {
                return new HttpSchemaRegistryClient(url);
            }
        };
    }

    @Override
    public ClassLoader classLoader() {
        return CdcTestContext.class.getClassLoader();
    }

    /** Registers schemas in the registry and remembers the topics asked for. */
    static final class RecordingProvisioner implements Provisioner {
        final List<TopicSpec> topics = new ArrayList<>();
        final Map<String, Integer> subjects = new LinkedHashMap<>();
        private final SchemaRegistryClient registry;

        RecordingProvisioner(String registryUrl) {
            this.registry = new HttpSchemaRegistryClient(registryUrl);
        }

        @Override
        public void ensureTopic(TopicSpec topic) {
            topics.add(topic);
        }

        @Override
        public int registerSchema(String subject, Schema schema) {
            int id = registry.register(subject, schema);
            subjects.put(subject, id);
            return id;
        }
    }
}

package dev.sluice.controller.deployment;

import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.sdk.factory.Provisioner;
import dev.sluice.sdk.factory.TopicSpec;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics with Kafka's Admin client and registers schemas in the registry, for the nodes of
 * a pipeline being deployed. Existing topics are kept as they are; an incompatible schema is a
 * {@link SchemaConflictException}.
 */
public final class KafkaProvisioner implements Provisioner {
    private final Admin admin;
    private final SchemaRegistryClient registry;

    public KafkaProvisioner(Admin admin, SchemaRegistryClient registry) {
        this.admin = admin;
        this.registry = registry;
    }

    @Override
    public void ensureTopic(TopicSpec topic) {
        NewTopic newTopic =
                new NewTopic(topic.name(), topic.partitions(), (short) 1).configs(topic.configs());
        try {
            admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "could not create topic '"
                                + topic.name()
                                + "': "
                                + e.getCause().getMessage(),
                        e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException(
                    "could not create topic '" + topic.name() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public int registerSchema(String subject, Schema schema) {
        try {
            return registry.register(subject, schema);
        } catch (SchemaRegistryException e) {
            if (e.status() == 409) {
                throw new SchemaConflictException(
                        "the schema for subject '"
                                + subject
                                + "' is incompatible with its registered versions: "
                                + e.getMessage());
            }
            throw e;
        }
    }
}

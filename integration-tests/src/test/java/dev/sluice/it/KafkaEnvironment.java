package dev.sluice.it;

import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The one place the integration tests decide where Kafka runs: in a Testcontainers Kafka when a
 * Docker engine is available, otherwise in the platform's own embedded KRaft broker (real Kafka
 * either way). Machines without Docker take the embedded path, and so does CI there.
 */
final class KafkaEnvironment implements AutoCloseable {
    private final KafkaContainer container;

    private KafkaEnvironment(KafkaContainer container) {
        this.container = container;
    }

    static KafkaEnvironment choose() {
        boolean docker;
        try {
            docker =
                    !"false".equals(System.getenv("SLUICE_IT_DOCKER"))
                            && DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            docker = false;
        }
        if (!docker) {
            return new KafkaEnvironment(null);
        }
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.0"));
        kafka.start();
        return new KafkaEnvironment(kafka);
    }

    /**
     * Always the platform's embedded broker (for tests whose broker data must outlive a platform).
     */
    static KafkaEnvironment embeddedOnly() {
        return new KafkaEnvironment(null);
    }

    /** The external bootstrap servers, or empty when the platform's embedded broker is used. */
    Optional<String> externalBootstrapServers() {
        return container == null ? Optional.empty() : Optional.of(container.getBootstrapServers());
    }

    String describe() {
        return container == null ? "embedded KRaft broker" : "Testcontainers Kafka";
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
        }
    }
}

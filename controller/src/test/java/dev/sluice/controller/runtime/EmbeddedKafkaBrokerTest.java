package dev.sluice.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real in-process KRaft broker: transactions, read_committed and restarts. */
class EmbeddedKafkaBrokerTest {

    private static final String TOPIC = "orders";
    private static final List<String> VALUES = List.of("first", "second", "third");
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir Path dataDir;

    @Test
    void testTransactionalRecordsAreReadCommittedAndSurviveARestartOnTheSameDataDir()
            throws Exception {
        int port;
        String clusterId;
        try (EmbeddedKafkaBroker broker = newBroker(0)) {
            broker.start();
            port = broker.port();
            clusterId = broker.clusterId();
            assertThat(port).isPositive();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(broker.isRunning()).isTrue();
            assertThat(dataDir.resolve("logs").resolve("meta.properties")).exists();

            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            produceTransactionally(broker, VALUES);

            assertThat(consumeReadCommitted(broker, "group-before-restart", VALUES.size()))
                    .containsExactlyElementsOf(VALUES);
        }

        try (EmbeddedKafkaBroker restarted = newBroker(port)) {
            restarted.start();
            assertThat(restarted.port()).isEqualTo(port);
            assertThat(restarted.clusterId()).isEqualTo(clusterId);

            try (Admin admin = admin(restarted)) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC);
                TopicDescription description =
                        admin.describeTopics(Set.of(TOPIC))
                                .allTopicNames()
                                .get(30, TimeUnit.SECONDS)
                                .get(TOPIC);
                assertThat(description.partitions()).hasSize(1);
            }
            assertThat(consumeReadCommitted(restarted, "group-after-restart", VALUES.size()))
                    .containsExactlyElementsOf(VALUES);
        }
    }

    @Test
    void testStartFailsFastNamingThePortWhenItIsInUse() throws IOException {
        try (ServerSocket occupied = new ServerSocket()) {
            occupied.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int busyPort = occupied.getLocalPort();
            EmbeddedKafkaBroker broker = newBroker(busyPort);

            assertThatThrownBy(broker::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + busyPort + " on 127.0.0.1 is already in use");
            assertThat(broker.isRunning()).isFalse();
            broker.close();
            assertThat(Files.exists(dataDir.resolve("logs").resolve("meta.properties"))).isFalse();
        }
    }

    @Test
    void testCloseIsIdempotentAndAStoppedInstanceCannotStartAgain() {
        EmbeddedKafkaBroker broker = newBroker(0);
        broker.close();
        broker.close();

        assertThatThrownBy(broker::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already closed");
        assertThatThrownBy(broker::bootstrapServers)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bootstrapServers() needs a running broker");
    }

    @Test
    void testBuilderRejectsMissingDataDirAndInvalidValues() {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dataDir is required");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be between 0 (pick a free port) and 65535, was 70000");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().controllerPort(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "controllerPort must be between 0 (pick a free port) and 65535, was -1");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().host("0.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wildcard address");
        assertThatThrownBy(
                        () ->
                                EmbeddedKafkaBroker.builder()
                                        .dataDir(dataDir)
                                        .port(9500)
                                        .controllerPort(9500)
                                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("port and controllerPort must differ, both are 9500");
    }

    private EmbeddedKafkaBroker newBroker(int port) {
        return EmbeddedKafkaBroker.builder().dataDir(dataDir).port(port).build();
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static void produceTransactionally(EmbeddedKafkaBroker broker, List<String> values) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-broker-test");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (String value : values) {
                producer.send(new ProducerRecord<>(TOPIC, value, value));
            }
            producer.commitTransaction();
        }
    }

    /** Polls from the earliest offset until {@code expected} records arrived or the deadline. */
    private static List<String> consumeReadCommitted(
            EmbeddedKafkaBroker broker, String groupId, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(TOPIC));
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}

package dev.sluice.connectors.events;

import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.ConfluentAvroEncoder;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Lets a service without a database publish domain events as a catalog source: it registers the
 * event schema (with the platform's metadata fields) under {@code <topic>-value}, stamps each event
 * with a unique id and its time, and writes it in Confluent wire format to the topic, keyed by the
 * configured key fields. Any pipeline then reads the stream with a {@code kafka} source, and {@code
 * GET /api/v1/catalog/sources} lists it like a CDC table.
 *
 * <pre>{@code
 * try (EventProducer events = EventProducer.builder()
 *         .bootstrapServers("127.0.0.1:9092")
 *         .registryUrl("http://127.0.0.1:8085")
 *         .topic("checkout.orders.v1")
 *         .schema(orderSchema)
 *         .owner("checkout")
 *         .keyFields("order_id")
 *         .build()) {
 *     String eventId = events.send(order);
 * }
 * }</pre>
 *
 * Writes are idempotent ({@code enable.idempotence}, {@code acks=all}), so a retry inside the
 * client never duplicates an event; a caller that retries a whole send passes its own event id.
 * Instances are thread-safe.
 */
@PublicEvolving
public final class EventProducer implements AutoCloseable {
    private final String topic;
    private final Schema eventSchema;
    private final Schema valueSchema;
    private final Schema keySchema;
    private final List<String> keyFields;
    private final ConfluentAvroEncoder valueEncoder;
    private final ConfluentAvroEncoder keyEncoder;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Clock clock;

    private EventProducer(Builder b) {
        this.topic = b.topic;
        this.eventSchema = b.schema;
        this.keyFields = List.copyOf(b.keyFields);
        this.clock = b.clock;
        this.valueSchema = EventStreams.valueSchema(b.schema, b.owner, keyFields);
        this.keySchema = keyFields.isEmpty() ? null : EventStreams.keySchema(b.schema, keyFields);
        SchemaRegistryClient registry =
                b.registry != null ? b.registry : new HttpSchemaRegistryClient(b.registryUrl);
        this.valueEncoder =
                new ConfluentAvroEncoder(
                        registry.register(topic + "-value", valueSchema), valueSchema);
        this.keyEncoder =
                keySchema == null
                        ? null
                        : new ConfluentAvroEncoder(
                                registry.register(topic + "-key", keySchema), keySchema);
        Map<String, Object> props = new HashMap<>(b.kafkaProperties);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        ensureTopic(props, b.partitions);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(props);
    }

    private void ensureTopic(Map<String, Object> props, int partitions) {
        Map<String, Object> admin = new HashMap<>(props);
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The value schema registered for the stream: the event's fields plus the metadata. */
    public Schema valueSchema() {
        return valueSchema;
    }

    /**
     * Publishes {@code event} (a record of the builder's schema) now, with a new event id; returns
     * the id. The write completes in the background: {@link #flush()} waits for it.
     */
    public String send(GenericRecord event) {
        String id = UUID.randomUUID().toString();
        send(event, id, clock.instant());
        return id;
    }

    /**
     * Publishes {@code event} with the caller's event id and time (a caller that retries a send
     * passes the same id, so consumers can drop the duplicate).
     */
    public Future<RecordMetadata> send(GenericRecord event, String eventId, Instant eventTime) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventTime, "eventTime");
        if (!event.getSchema().getFullName().equals(eventSchema.getFullName())) {
            throw new IllegalArgumentException(
                    "event is a "
                            + event.getSchema().getFullName()
                            + "; this producer sends "
                            + eventSchema.getFullName());
        }
        GenericRecord value = new GenericData.Record(valueSchema);
        for (Schema.Field f : eventSchema.getFields()) {
            value.put(f.name(), event.get(f.name()));
        }
        value.put(EventStreams.EVENT_ID, eventId);
        value.put(EventStreams.EVENT_TIME, eventTime.toEpochMilli());
        byte[] key = null;
        if (keyEncoder != null) {
            GenericRecord k = new GenericData.Record(keySchema);
            for (String f : keyFields) {
                k.put(f, event.get(f));
            }
            key = keyEncoder.encode(k);
        }
        return producer.send(
                new ProducerRecord<>(
                        topic, null, eventTime.toEpochMilli(), key, valueEncoder.encode(value)));
    }

    /** Waits until every event sent so far is written. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }

    /** Configures an {@link EventProducer}; {@link #build()} checks the settings. */
    public static final class Builder {
        private String bootstrapServers;
        private String registryUrl;
        private SchemaRegistryClient registry;
        private String topic;
        private Schema schema;
        private String owner;
        private final List<String> keyFields = new ArrayList<>();
        private int partitions = 1;
        private final Map<String, Object> kafkaProperties = new HashMap<>();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** The Confluent-compatible registry's base URL. */
        public Builder registryUrl(String registryUrl) {
            this.registryUrl = registryUrl;
            return this;
        }

        /** A registry client to use instead of {@link #registryUrl}. */
        public Builder registry(SchemaRegistryClient registry) {
            this.registry = registry;
            return this;
        }

        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** The Avro record schema of the events (without the metadata fields). */
        public Builder schema(Schema schema) {
            this.schema = schema;
            return this;
        }

        /** The owning team, shown in the catalog. */
        public Builder owner(String owner) {
            this.owner = owner;
            return this;
        }

        /** The fields that make the Kafka key (the entity id); none for unkeyed events. */
        public Builder keyFields(String... fields) {
            this.keyFields.addAll(List.of(fields));
            return this;
        }

        /** Partitions of the topic when the producer creates it (default 1). */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** An extra Kafka producer property (security settings, ...). */
        public Builder kafkaProperty(String key, Object value) {
            this.kafkaProperties.put(key, value);
            return this;
        }

        /** The clock that stamps event times (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public EventProducer build() {
            require(bootstrapServers, "bootstrapServers");
            if (registry == null) {
                require(registryUrl, "registryUrl");
            }
            require(topic, "topic");
            if (schema == null) {
                throw new IllegalArgumentException("schema is required: the events' Avro record");
            }
            if (partitions < 1) {
                throw new IllegalArgumentException(
                        "partitions must be at least 1, got " + partitions);
            }
            return new EventProducer(this);
        }

        private static void require(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " is required");
            }
        }
    }
}

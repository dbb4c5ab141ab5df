package dev.sluice.controller.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.schemas.AvroSchemas;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.serde.ConfluentAvroDecoder;
import dev.sluice.schemas.serde.ConfluentAvroEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What {@code sluice demo} shows a newcomer: a sample {@code demo.orders} topic fed with generated
 * orders, the sample pipeline {@code examples/paid-orders.json} applied over REST like a user
 * would, and the pipeline's output printed as it arrives.
 */
final class DemoRunner implements AutoCloseable {
    private static final String INPUT = "demo.orders";
    private static final String OUTPUT = "demo.orders.paid.v1";
    private static final List<String> CUSTOMERS =
            List.of("ada", "grace", "linus", "margaret", "edsger", "barbara");
    private static final List<String> STATUSES = List.of("PAID", "PAID", "NEW", "CANCELLED");

    private final SluicePlatform platform;
    private final PrintStream out;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread producer;
    private Thread printer;

    DemoRunner(SluicePlatform platform, PrintStream out) {
        this.platform = platform;
        this.out = out;
    }

    void start() throws Exception {
        Schema schema = AvroSchemas.parse(resource("/demo/orders-value.avsc"));
        HttpSchemaRegistryClient registry = new HttpSchemaRegistryClient(platform.registryUrl());
        int id = registry.register(INPUT + "-value", schema);
        producer = new Thread(() -> produce(schema, id), "sluice-demo-producer");
        producer.setDaemon(true);
        producer.start();

        String pipeline = resource("/demo/paid-orders.json");
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        platform.apiUrl()
                                                                + "/api/v1/pipelines/paid-orders"))
                                        .header("Content-Type", "application/json")
                                        .PUT(HttpRequest.BodyPublishers.ofString(pipeline))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        Map<?, ?> body = new ObjectMapper().readValue(response.body(), Map.class);
        out.println();
        out.println(
                "demo: producing random orders to '"
                        + INPUT
                        + "'; applied pipeline 'paid-orders' (HTTP "
                        + response.statusCode()
                        + ", state "
                        + body.get("state")
                        + "):");
        out.println("      filter  status = 'PAID' AND amount >= 10");
        out.println(
                "      project order_id, UPPER(customer), amount, ROUND(amount * 1.2, 2) -> '"
                        + OUTPUT
                        + "'");
        out.println("demo: watch it in the Flink dashboard at " + platform.flinkUrl());
        out.println("demo: records on '" + OUTPUT + "' (Ctrl-C stops the demo):");
        printer = new Thread(() -> print(registry), "sluice-demo-printer");
        printer.setDaemon(true);
        printer.start();
    }

    private void produce(Schema schema, int schemaId) {
        Properties props = new Properties();
        props.put("bootstrap.servers", platform.bootstrapServers());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        ConfluentAvroEncoder encoder = new ConfluentAvroEncoder(schemaId, schema);
        Random random = new Random(42);
        try (KafkaProducer<byte[], byte[]> kafka = new KafkaProducer<>(props)) {
            long orderId = 1;
            while (running.get()) {
                GenericRecord order = new GenericData.Record(schema);
                order.put("id", orderId);
                order.put("customer", CUSTOMERS.get(random.nextInt(CUSTOMERS.size())));
                order.put("amount", Math.round(random.nextDouble() * 5000) / 100.0);
                order.put("status", STATUSES.get(random.nextInt(STATUSES.size())));
                byte[] key = Long.toString(orderId).getBytes(StandardCharsets.UTF_8);
                kafka.send(new ProducerRecord<>(INPUT, key, encoder.encode(order)));
                orderId++;
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                out.println("demo: the producer stopped: " + e.getMessage());
            }
        }
    }

    private void print(HttpSchemaRegistryClient registry) {
        Properties props = new Properties();
        props.put("bootstrap.servers", platform.bootstrapServers());
        props.put("group.id", "sluice-demo-printer");
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        ConfluentAvroDecoder decoder = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(OUTPUT));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        continue;
                    }
                    if (decoder == null) {
                        Schema writer =
                                registry.getById(
                                        dev.sluice.schemas.serde.ConfluentWireFormat.schemaIdOf(
                                                r.value()));
                        decoder = new ConfluentAvroDecoder(writer, registry::getById);
                    }
                    out.println("  " + decoder.decode(r.value()));
                }
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                out.println("demo: the printer stopped: " + e.getMessage());
            }
        }
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = DemoRunner.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing demo resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        running.set(false);
        if (producer != null) {
            producer.interrupt();
        }
    }
}

package dev.sluice.bench;

import dev.sluice.controller.runtime.PlatformConfig;
import dev.sluice.controller.runtime.SluicePlatform;
import dev.sluice.schemas.registry.HttpSchemaRegistryClient;
import dev.sluice.schemas.serde.ConfluentAvroEncoder;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Input records/s of the foundation's filter+project pipeline, exactly once, measured from the
 * job's RUNNING state until every expected output record is committed — against a hand-written
 * Flink job doing the same decode, filter, project and encode on the same data in the same JVM.
 *
 * <p>Run with {@code bench/filter-project.sh [records]}; results go to {@code
 * target/bench/filter-project.json} and stdout. Not a test: figures vary with the machine.
 */
public final class FilterProjectBenchmark {
    static final Schema ORDER =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"bench\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"customer\",\"type\":\"string\"},"
                                    + "{\"name\":\"amount\",\"type\":\"double\"},"
                                    + "{\"name\":\"status\",\"type\":\"string\"}]}");
    static final Schema OUT =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Out\",\"namespace\":\"bench\",\"fields\":["
                                    + "{\"name\":\"order_id\",\"type\":\"long\"},"
                                    + "{\"name\":\"customer\",\"type\":\"string\"},"
                                    + "{\"name\":\"amount\",\"type\":\"double\"}]}");
    private static final String[] STATUS = {"PAID", "NEW", "PAID", "CANCELLED"};
    private static final String[] CUSTOMERS = {"ada", "grace", "linus", "margaret"};

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        Path out = Path.of(args.length > 1 ? args[1] : "target/bench/filter-project.json");
        Path dir = Files.createTempDirectory("sluice-bench");
        SluicePlatform platform =
                SluicePlatform.start(
                        PlatformConfig.builder()
                                .dataDir(dir)
                                .apiPort(0)
                                .flinkPort(0)
                                .registryPort(0)
                                .kafkaPort(0)
                                .taskSlots(4)
                                .build());
        try {
            long rssIdle = rssKb();
            HttpSchemaRegistryClient registry =
                    new HttpSchemaRegistryClient(platform.registryUrl());
            int id = registry.register("bench.orders-value", ORDER);
            long expected = produce(platform.bootstrapServers(), id, records);
            System.out.printf("produced %,d records (%,d pass the filter)%n", records, expected);

            // Alternate and keep the second run of each, so both run with a warm JIT.
            runBaseline(platform.bootstrapServers(), registry, expected, "warmup");
            runSluice(platform, expected, "warmup");
            double baseline = runBaseline(platform.bootstrapServers(), registry, expected, "hand");
            double sluice = runSluice(platform, expected, "bench");
            long rssOne = rssKb();

            String json =
                    String.format(
                            "{\"date\": \"%s\", \"records\": %d, \"passing\": %d,"
                                    + " \"sluiceRecordsPerSecond\": %.0f,"
                                    + " \"handWrittenRecordsPerSecond\": %.0f,"
                                    + " \"sluiceVsHandWritten\": %.2f,"
                                    + " \"rssIdleMb\": %d, \"rssOnePipelineMb\": %d,"
                                    + " \"delivery\": \"exactly-once\", \"parallelism\": 1}%n",
                            Instant.now(),
                            records,
                            expected,
                            sluice,
                            baseline,
                            sluice / baseline,
                            rssIdle / 1024,
                            rssOne / 1024);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, json);
            System.out.print(json);
            System.out.println("written to " + out.toAbsolutePath());
        } finally {
            platform.close();
        }
        System.exit(0);
    }

    static long produce(String bootstrap, int schemaId, int records) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        props.put("linger.ms", "20");
        props.put("batch.size", String.valueOf(256 * 1024));
        props.put("compression.type", "lz4");
        ConfluentAvroEncoder encoder = new ConfluentAvroEncoder(schemaId, ORDER);
        long passing = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            GenericRecord r = new GenericData.Record(ORDER);
            for (int i = 0; i < records; i++) {
                r.put("id", (long) i);
                r.put("customer", CUSTOMERS[i % CUSTOMERS.length]);
                r.put("amount", (double) (i % 100));
                r.put("status", STATUS[i % STATUS.length]);
                if ("PAID".equals(STATUS[i % STATUS.length]) && i % 100 >= 10) {
                    passing++;
                }
                producer.send(
                        new ProducerRecord<>(
                                "bench.orders",
                                Long.toString(i).getBytes(StandardCharsets.UTF_8),
                                encoder.encode(r)));
            }
            producer.flush();
        }
        return passing;
    }

    private static double runSluice(SluicePlatform platform, long expected, String name)
            throws Exception {
        String pipeline =
                "{\"name\": \""
                        + name
                        + "\", \"sources\": [{\"id\": \"orders\", \"type\": \"kafka\","
                        + " \"config\": {\"topic\": \"bench.orders\"}}], \"processors\": [{\"id\":"
                        + " \"paid\", \"type\": \"filter\", \"inputs\": [\"orders\"], \"config\":"
                        + " {\"condition\": \"status = 'PAID' AND amount >= 10\"}}, {\"id\":"
                        + " \"slim\", \"type\": \"project\", \"inputs\": [\"paid\"], \"config\":"
                        + " {\"fields\": {\"order_id\": \"id\", \"customer\": \"UPPER(customer)\","
                        + " \"amount\": \"amount\"}}}], \"sinks\": [{\"id\": \"out\", \"type\":"
                        + " \"kafka\", \"inputs\": [\"slim\"], \"config\": {\"topic\":"
                        + " \"bench.sluice.out."
                        + name
                        + "\"}}]}";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(platform.apiUrl() + "/api/v1/pipelines/" + name))
                                .PUT(HttpRequest.BodyPublishers.ofString(pipeline))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("apply failed: " + r.body());
        }
        // T0 is the Flink job's own RUNNING timestamp, not when the controller noticed it.
        long deadline = System.nanoTime() + 120_000_000_000L;
        com.fasterxml.jackson.databind.ObjectMapper json =
                new com.fasterxml.jackson.databind.ObjectMapper();
        long runningAtMs;
        while (true) {
            com.fasterxml.jackson.databind.JsonNode p =
                    json.readTree(
                            http.send(
                                            HttpRequest.newBuilder(
                                                            URI.create(
                                                                    platform.apiUrl()
                                                                            + "/api/v1/pipelines/"
                                                                            + name))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body());
            String jobId = p.path("jobId").asText("");
            if (p.path("state").asText().equals("FAILED") || System.nanoTime() > deadline) {
                throw new IllegalStateException("pipeline did not run: " + p);
            }
            if (!jobId.isEmpty() && !jobId.equals("null")) {
                com.fasterxml.jackson.databind.JsonNode job =
                        json.readTree(
                                http.send(
                                                HttpRequest.newBuilder(
                                                                URI.create(
                                                                        platform.flinkUrl()
                                                                                + "/jobs/"
                                                                                + jobId))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .body());
                long running = job.path("timestamps").path("RUNNING").asLong(0);
                if (running > 0) {
                    runningAtMs = running;
                    break;
                }
            }
            Thread.sleep(20);
        }
        BenchPlatform.awaitCommitted(
                platform.bootstrapServers(), "bench.sluice.out." + name, expected);
        double seconds = (System.currentTimeMillis() - runningAtMs) / 1e3;
        long inputs = countInput(platform.bootstrapServers());
        double rate = inputs / seconds;
        System.out.printf(
                "sluice (%s): %,d input records in %.1f s = %,.0f records/s%n",
                name, inputs, seconds, rate);
        return rate;
    }

    private static double runBaseline(
            String bootstrap, HttpSchemaRegistryClient registry, long expected, String name)
            throws Exception {
        String topic = "bench.hand.out." + name;
        int outId = registry.register(topic + "-value", OUT);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            // The pooled transactional writer needs its topic to exist, as Sluice provisions it.
            admin.createTopics(
                            List.of(
                                    new org.apache.kafka.clients.admin.NewTopic(
                                            topic, 1, (short) 1)))
                    .all()
                    .get();
        }
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, java.time.Duration.ofSeconds(2));
        conf.set(org.apache.flink.configuration.PipelineOptions.OBJECT_REUSE, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        KafkaSource<Tuple2<byte[], byte[]>> source =
                KafkaSource.<Tuple2<byte[], byte[]>>builder()
                        .setBootstrapServers(bootstrap)
                        .setTopics("bench.orders")
                        .setGroupId("bench-" + name)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setProperty("isolation.level", "read_committed")
                        .setDeserializer(new KeyValue())
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "source")
                .flatMap(new HandFilterProject(outId))
                .sinkTo(
                        KafkaSink.<Tuple2<byte[], byte[]>>builder()
                                .setBootstrapServers(bootstrap)
                                .setRecordSerializer(new HandSerializer(topic))
                                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setTransactionalIdPrefix("bench-" + name)
                                .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                                .setProperty("transaction.timeout.ms", "600000")
                                .setProperty("linger.ms", "5")
                                .setProperty("compression.type", "lz4")
                                .build());
        JobClient job = env.executeAsync("hand-written filter+project");
        while (job.getJobStatus().get() != org.apache.flink.api.common.JobStatus.RUNNING) {
            Thread.sleep(10);
        }
        long start = System.nanoTime();
        BenchPlatform.awaitCommitted(bootstrap, topic, expected);
        double seconds = (System.nanoTime() - start) / 1e9;
        job.cancel().get();
        long inputs = countInput(bootstrap);
        double rate = inputs / seconds;
        System.out.printf(
                "hand-written (%s): %,d input records in %.1f s = %,.0f records/s%n",
                name, inputs, seconds, rate);
        return rate;
    }

    static long countInput(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicPartition tp = new TopicPartition("bench.orders", 0);
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
        }
    }

    static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Key and value bytes. */
    static final class KeyValue
            implements KafkaRecordDeserializationSchema<Tuple2<byte[], byte[]>> {
        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<Tuple2<byte[], byte[]>> out) {
            out.collect(Tuple2.of(record.key(), record.value()));
        }

        @Override
        public TypeInformation<Tuple2<byte[], byte[]>> getProducedType() {
            return TypeInformation.of(new org.apache.flink.api.common.typeinfo.TypeHint<>() {});
        }
    }

    /** The hand-written decode, filter, project and encode. */
    static final class HandFilterProject
            extends RichFlatMapFunction<Tuple2<byte[], byte[]>, Tuple2<byte[], byte[]>> {
        private final int outId;
        private transient GenericDatumReader<GenericRecord> reader;
        private transient GenericDatumWriter<GenericRecord> writer;
        private transient BinaryDecoder decoder;
        private transient BinaryEncoder encoder;
        private transient ByteArrayOutputStream buffer;

        HandFilterProject(int outId) {
            this.outId = outId;
        }

        @Override
        public void open(OpenContext ctx) {
            reader = new GenericDatumReader<>(ORDER);
            writer = new GenericDatumWriter<>(OUT);
            buffer = new ByteArrayOutputStream();
        }

        @Override
        public void flatMap(Tuple2<byte[], byte[]> in, Collector<Tuple2<byte[], byte[]>> out)
                throws Exception {
            decoder = DecoderFactory.get().binaryDecoder(in.f1, 5, in.f1.length - 5, decoder);
            GenericRecord order = reader.read(null, decoder);
            if (!"PAID".equals(order.get("status").toString())
                    || (Double) order.get("amount") < 10) {
                return;
            }
            GenericRecord o = new GenericData.Record(OUT);
            o.put("order_id", order.get("id"));
            o.put("customer", order.get("customer").toString().toUpperCase());
            o.put("amount", order.get("amount"));
            buffer.reset();
            buffer.write(0);
            buffer.write(ByteBuffer.allocate(4).putInt(outId).array());
            encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
            writer.write(o, encoder);
            encoder.flush();
            out.collect(Tuple2.of(in.f0, buffer.toByteArray()));
        }
    }

    /** Writes key and value to the hand-written job's output topic. */
    static final class HandSerializer
            implements KafkaRecordSerializationSchema<Tuple2<byte[], byte[]>>,
                    KafkaDatasetFacetProvider {
        private final String topic;

        HandSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public void open(
                SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {}

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                Tuple2<byte[], byte[]> element, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, element.f0, element.f1);
        }

        @Override
        public java.util.Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
            return java.util.Optional.of(
                    new DefaultKafkaDatasetFacet(
                            DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
        }
    }
}

package dev.sluice.connectors.cdc;

import dev.sluice.connectors.cdc.internal.CaptureSpec;
import dev.sluice.connectors.cdc.internal.CapturedChange;
import dev.sluice.connectors.cdc.internal.CapturedChangeSerializer;
import dev.sluice.connectors.cdc.internal.CdcSource;
import dev.sluice.connectors.cdc.internal.ChangeDecoder;
import dev.sluice.connectors.cdc.internal.ConnectorKind;
import dev.sluice.connectors.cdc.internal.LogPosition;
import dev.sluice.connectors.cdc.internal.TableRoute;
import dev.sluice.connectors.cdc.schema.DerivedTableSchema;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.factory.Delivery;
import dev.sluice.sdk.factory.Provisioner;
import dev.sluice.sdk.factory.SourceFactory;
import dev.sluice.sdk.factory.TopicSpec;
import dev.sluice.sdk.factory.TranslationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A planned {@code postgres-cdc} or {@code mysql-cdc} source: what both have in common once the
 * database has been checked and the tables' schemas derived.
 *
 * <p>Provisioning creates one compacted single-partition topic per table, registers its key and
 * value schemas and runs the database preparation (PostgreSQL: replica identity, publication).
 * Translation adds the capture (parallelism 1), a transactional Kafka writer of every table's topic
 * (the always-materialized source-fronting topics), and the decoded records of the first table for
 * processors and sinks of the same pipeline. Everything commits in the job's checkpoints.
 *
 * <p>What the running job gets is fixed here as plain values: the schema registry's URL (the
 * capture registers a table's next schema version when its columns change) and the database's log
 * position when the pipeline was planned (changes before it, replayed after a restore, are written
 * with the planned schema). The restored state (Debezium's offset and schema history) never depends
 * on a schema, so a pipeline re-planned with new schemas restores from a savepoint of the old plan.
 */
final class CdcPlannedSource implements SourceFactory.PlannedSource {

    /** Topic writer transactions must stay below the broker's default maximum of 15 minutes. */
    static final String TRANSACTION_TIMEOUT_MS = String.valueOf(10 * 60 * 1000);

    /** A captured table, planned. */
    static final class PlannedTable {
        final DerivedTableSchema schema;
        final String topic;
        final String sourceName;

        PlannedTable(DerivedTableSchema schema, String topic, String sourceName) {
            this.schema = schema;
            this.topic = topic;
            this.sourceName = sourceName;
        }
    }

    /** Side effects on the database beyond topics and schemas. */
    interface DatabaseHooks {
        void prepare();

        void decommission();
    }

    private final String nodeId;
    private final String captureName;
    private final ConnectorKind kind;
    private final Map<String, String> debeziumProperties;
    private final List<PlannedTable> tables;
    private final StreamDescriptor output;
    private final String bootstrapServers;
    private final Map<String, String> kafkaProperties;
    private final Delivery delivery;
    private final DatabaseHooks hooks;
    private final String registryUrl;
    private final LogPosition planPosition;
    private final int[] valueIds;
    private final int[] keyIds;
    private boolean provisioned;

    CdcPlannedSource(
            String nodeId,
            String captureName,
            ConnectorKind kind,
            Map<String, String> debeziumProperties,
            List<PlannedTable> tables,
            String bootstrapServers,
            Map<String, String> kafkaProperties,
            Delivery delivery,
            DatabaseHooks hooks,
            String registryUrl,
            LogPosition planPosition) {
        this.nodeId = nodeId;
        this.captureName = captureName;
        this.kind = kind;
        this.debeziumProperties = Map.copyOf(debeziumProperties);
        this.tables = List.copyOf(tables);
        this.bootstrapServers = bootstrapServers;
        this.kafkaProperties = Map.copyOf(kafkaProperties);
        this.delivery = delivery;
        this.hooks = hooks;
        this.registryUrl = registryUrl;
        this.planPosition = planPosition;
        this.valueIds = new int[tables.size()];
        this.keyIds = new int[tables.size()];
        DerivedTableSchema first = tables.get(0).schema;
        this.output =
                new StreamDescriptor(nodeId, first.valueSchema(), StreamKind.CHANGELOG)
                        .withKeySchema(first.keySchema());
    }

    /**
     * The first table's changes. A source capturing several tables writes all of their topics, but
     * only the first table's records flow to processors and sinks of the same pipeline: capture one
     * table per source to process it in the pipeline, or read the other topics with {@code kafka}
     * sources.
     */
    @Override
    public StreamDescriptor output() {
        return output;
    }

    @Override
    public List<String> topics() {
        List<String> topics = new ArrayList<>();
        tables.forEach(t -> topics.add(t.topic));
        return topics;
    }

    /** The planned tables (for tests and status). */
    List<PlannedTable> tables() {
        return tables;
    }

    /** The log position when the pipeline was planned, or {@code null} (for tests). */
    LogPosition planPosition() {
        return planPosition;
    }

    /** Debezium's properties (for tests; contain the password). */
    Map<String, String> debeziumProperties() {
        return debeziumProperties;
    }

    @Override
    public void provision(Provisioner provisioner) {
        for (int i = 0; i < tables.size(); i++) {
            PlannedTable t = tables.get(i);
            provisioner.ensureTopic(new TopicSpec(t.topic, 1, Map.of("cleanup.policy", "compact")));
            valueIds[i] = provisioner.registerSchema(t.topic + "-value", t.schema.valueSchema());
            keyIds[i] = provisioner.registerSchema(t.topic + "-key", t.schema.keySchema());
        }
        hooks.prepare();
        provisioned = true;
    }

    @Override
    public void decommission() {
        hooks.decommission();
    }

    /** The capture as a Flink source (after {@link #provision}). */
    CdcSource source() {
        if (!provisioned) {
            throw new IllegalStateException(
                    kind.product() + " capture translated before provisioning");
        }
        List<TableRoute> routes = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            PlannedTable t = tables.get(i);
            routes.add(
                    new TableRoute(
                            t.schema.table().qualifiedName(),
                            t.sourceName,
                            t.topic,
                            t.schema.valueSchema().toString(),
                            valueIds[i],
                            t.schema.keySchema().toString(),
                            keyIds[i],
                            t.schema.table().keyColumns()));
        }
        return new CdcSource(
                new CaptureSpec(
                        captureName, kind, debeziumProperties, routes, registryUrl, planPosition));
    }

    /** The first table's records for processors and sinks (after {@link #provision}). */
    ChangeDecoder decoder() {
        PlannedTable first = tables.get(0);
        return new ChangeDecoder(
                nodeId,
                first.topic,
                first.schema.valueSchema().toString(),
                valueIds[0],
                registryUrl);
    }

    @Override
    public DataStream<SluiceRecord> translate(
            StreamExecutionEnvironment env, TranslationContext context) {
        DataStreamSource<CapturedChange> changes =
                env.fromSource(
                        source(),
                        WatermarkStrategy.noWatermarks(),
                        context.operatorName("capture"),
                        TypeInformation.of(CapturedChange.class));
        changes.uid(context.uid("cdc-capture")).setParallelism(1);

        Properties props = new Properties();
        props.putAll(kafkaProperties);
        props.setProperty("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        props.setProperty("linger.ms", "5");
        props.setProperty("compression.type", "lz4");
        KafkaSink<CapturedChange> sink =
                KafkaSink.<CapturedChange>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setRecordSerializer(new CapturedChangeSerializer(topics()))
                        .setKafkaProducerConfig(props)
                        .setDeliveryGuarantee(
                                delivery == Delivery.EXACTLY_ONCE
                                        ? DeliveryGuarantee.EXACTLY_ONCE
                                        : DeliveryGuarantee.AT_LEAST_ONCE)
                        .setTransactionalIdPrefix(context.transactionalIdPrefix())
                        .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                        .build();
        changes.sinkTo(sink)
                .name(context.operatorName("topics"))
                .uid(context.uid("cdc-topics"))
                .setParallelism(1);

        PlannedTable first = tables.get(0);
        SingleOutputStreamOperator<SluiceRecord> decoded =
                changes.process(decoder(), context.recordType(first.schema.valueSchema()))
                        .name(context.operatorName("decode"))
                        .uid(context.uid("cdc-decode"))
                        .setParallelism(1);
        context.addDeadLetters(decoded.getSideOutput(DeadLetters.TAG));
        return decoded;
    }
}

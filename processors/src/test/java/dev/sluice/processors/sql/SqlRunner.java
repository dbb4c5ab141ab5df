package dev.sluice.processors.sql;

import dev.sluice.processors.testing.TestProcessorContext;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.factory.ProcessorFactory.PlannedProcessor;
import dev.sluice.sdk.factory.TranslationContext;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.CloseableIterator;

/**
 * Plans and runs a {@code sql} processor over inputs described by full {@link StreamDescriptor}s
 * (event time, key schemas), which the SDK harness does not declare. Runs like the harness: local
 * execution, parallelism 1, object reuse on; inputs carry no watermarks of their own.
 */
final class SqlRunner {

    static final String PIPELINE = "shop";

    private SqlRunner() {}

    static PlannedProcessor plan(String nodeId, String query, StreamDescriptor... inputs) {
        return new SqlProcessorFactory()
                .plan(
                        TestProcessorContext.of(
                                new SqlProcessorFactory(),
                                PIPELINE,
                                nodeId,
                                "/processors/0",
                                Map.of("query", query),
                                inputs));
    }

    /** What a run produced: outputs in order, dead letters. */
    static final class Result {
        final List<SluiceRecord> outputs = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
    }

    static Result run(
            PlannedProcessor planned,
            String nodeId,
            List<StreamDescriptor> inputs,
            Map<String, List<SluiceRecord>> records)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        List<DataStream<SluiceRecord>> streams = new ArrayList<>();
        for (StreamDescriptor d : inputs) {
            streams.add(
                    env.fromData(records.get(d.nodeId()), new SluiceRecordTypeInfo(d.schema()))
                            .assignTimestampsAndWatermarks(
                                    WatermarkStrategy.<SluiceRecord>noWatermarks()
                                            .withTimestampAssigner((r, p) -> r.timestamp())));
        }
        Context context = new Context(nodeId);
        DataStream<SluiceRecord> out = planned.translate(streams, context);
        EitherTypeInfo<SluiceRecord, DeadLetter> tagged =
                new EitherTypeInfo<>(out.getType(), TypeInformation.of(DeadLetter.class));
        DataStream<Either<SluiceRecord, DeadLetter>> all =
                out.map(Either::<SluiceRecord, DeadLetter>Left, tagged);
        for (DataStream<DeadLetter> dl : context.deadLetters) {
            all = all.union(dl.map(Either::<SluiceRecord, DeadLetter>Right, tagged));
        }
        Result result = new Result();
        try (CloseableIterator<Either<SluiceRecord, DeadLetter>> it =
                all.executeAndCollect("sql-test")) {
            while (it.hasNext()) {
                Either<SluiceRecord, DeadLetter> next = it.next();
                if (next.isLeft()) {
                    result.outputs.add(next.left());
                } else {
                    result.deadLetters.add(next.right());
                }
            }
        }
        return result;
    }

    /** Uids and names as the platform derives them; dead letters kept. */
    static final class Context implements TranslationContext {
        private final String nodeId;
        final List<DataStream<DeadLetter>> deadLetters = new ArrayList<>();

        Context(String nodeId) {
            this.nodeId = nodeId;
        }

        @Override
        public String uid(String suffix) {
            return "sluice/" + PIPELINE + "/" + nodeId + "/" + suffix;
        }

        @Override
        public String operatorName(String suffix) {
            return nodeId + ": " + suffix;
        }

        @Override
        public int parallelism() {
            return 1;
        }

        @Override
        public TypeInformation<SluiceRecord> recordType(Schema schema) {
            return new SluiceRecordTypeInfo(schema);
        }

        @Override
        public void addDeadLetters(DataStream<DeadLetter> stream) {
            deadLetters.add(stream);
        }

        @Override
        public String transactionalIdPrefix() {
            return "t";
        }

        @Override
        public String consumerGroupId() {
            return "g";
        }
    }
}

package dev.sluice.sdk.factory;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import org.apache.avro.Schema;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;

/**
 * What a node gets while its operators are added to the pipeline's Flink job: stable operator ids
 * (so savepoints survive redeploys), the job's parallelism, the record type, and the place to hand
 * its dead letters to.
 */
@PublicEvolving
public interface TranslationContext {

    /**
     * A stable operator uid for one of this node's operators: derived from the pipeline name, the
     * node id and {@code suffix}, never generated. Keep suffixes stable across versions.
     */
    String uid(String suffix);

    /** A readable operator name for the Flink dashboard. */
    String operatorName(String suffix);

    /** The parallelism of the pipeline's operators. */
    int parallelism();

    /** The type information of records whose values have {@code schema}. */
    TypeInformation<SluiceRecord> recordType(Schema schema);

    /** Routes this node's dead letters to the pipeline's dead-letter topic. */
    void addDeadLetters(DataStream<DeadLetter> deadLetters);

    /**
     * A transactional id prefix for a transactional writer of this node, stable per pipeline and
     * node so that a restarted job aborts its predecessor's lingering transactions at once.
     */
    String transactionalIdPrefix();

    /** A Kafka consumer group id for a reader of this node, stable per pipeline and node. */
    String consumerGroupId();

    /**
     * Adds one record-at-a-time operator of this node: {@code function} applied to {@code input},
     * producing values of {@code outputSchema}, with the uid and name derived from {@code suffix}
     * and its dead letters routed to the pipeline's dead-letter topic. Keep the suffix stable:
     * savepoints map state by it.
     */
    default DataStream<SluiceRecord> process(
            DataStream<SluiceRecord> input,
            ProcessFunction<SluiceRecord, SluiceRecord> function,
            Schema outputSchema,
            String suffix) {
        SingleOutputStreamOperator<SluiceRecord> out =
                input.process(function, recordType(outputSchema))
                        .name(operatorName(suffix))
                        .uid(uid(suffix))
                        .setParallelism(parallelism());
        addDeadLetters(out.getSideOutput(DeadLetters.TAG));
        return out;
    }
}

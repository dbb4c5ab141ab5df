package dev.sluice.sdk.factory;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import org.apache.avro.Schema;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

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
}

package dev.sluice.sdk.factory;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The SPI for sources: where records enter a pipeline (a Kafka topic, a CDC capture, ...). */
@PublicEvolving
public interface SourceFactory extends Factory {

    /**
     * Plans the source: validates its config and resolves its output schema (from the registry or
     * the database).
     */
    PlannedSource plan(NodeContext context);

    /** A source that passed planning. */
    interface PlannedSource {

        /** The stream it produces. */
        StreamDescriptor output();

        /** The topics this source reads or writes (for status and the catalog). */
        default List<String> topics() {
            return List.of();
        }

        /** Creates what the source needs before its job runs. */
        default void provision(Provisioner provisioner) {}

        /**
         * Releases what the source holds outside Kafka once its pipeline is deleted and its job
         * stopped (a PostgreSQL replication slot, say). Failures are reported, not thrown past the
         * delete: the platform logs them and the pipeline is removed anyway.
         */
        default void decommission() {}

        /** Adds the source's operators to the job; the stream carries decoded records. */
        DataStream<SluiceRecord> translate(
                StreamExecutionEnvironment env, TranslationContext context);
    }
}

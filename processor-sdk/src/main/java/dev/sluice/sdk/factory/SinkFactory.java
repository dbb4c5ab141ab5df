package dev.sluice.sdk.factory;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The SPI for sinks: where a pipeline's records leave it (a topic, a table, ...). */
@PublicEvolving
public interface SinkFactory extends Factory {

    /** Plans the sink for its input stream: validates config and what it will write. */
    PlannedSink plan(Context context);

    /** A sink's planning context: the node plus its input. */
    interface Context extends NodeContext {
        /** The stream the sink writes (a sink has exactly one input after the planner's union). */
        StreamDescriptor input();
    }

    /** A sink that passed planning. */
    interface PlannedSink {

        /** The topics this sink writes (for status and the catalog). */
        default List<String> topics() {
            return List.of();
        }

        /** Creates topics and registers schemas; called before {@link #translate}. */
        default void provision(Provisioner provisioner) {}

        /** Adds the sink's operators to the job. */
        void translate(DataStream<SluiceRecord> input, TranslationContext context);
    }
}

package dev.sluice.sdk.factory;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The SPI for processors: a processor is planned first (config checked, expressions parsed and
 * type-checked against its inputs' schemas, output schema declared) so the controller can refuse a
 * bad pipeline before anything runs, and only then translated into Flink operators.
 */
@PublicEvolving
public interface ProcessorFactory extends Factory {

    /**
     * Plans the processor: validates everything that can be validated without running it.
     *
     * @throws dev.sluice.sdk.config.ConfigValidationException naming the field at fault
     */
    PlannedProcessor plan(Context context);

    /** A processor's planning context: the node, plus its inputs in declaration order. */
    interface Context extends NodeContext {
        List<StreamDescriptor> inputs();

        /**
         * The only input of a processor that reads exactly one.
         *
         * @throws ConfigValidationException pointing at {@code inputs} when there are more
         */
        default StreamDescriptor singleInput() {
            if (inputs().size() != 1) {
                throw new ConfigValidationException(
                        pointer() + "/inputs",
                        "processor '"
                                + nodeId()
                                + "' reads exactly one input, got "
                                + inputs().size());
            }
            return inputs().get(0);
        }
    }

    /** A processor that passed planning: its declared output and how it becomes operators. */
    interface PlannedProcessor {

        /** The Avro schema of the processor's output values (a record). */
        Schema outputSchema();

        /** Append or changelog. */
        StreamKind outputKind();

        /**
         * The Avro schema of the keys this processor makes (e.g. an aggregate's GROUP BY columns);
         * empty when it keeps its input's keys. A processor that makes keys writes them in
         * Confluent wire format with the id it got in {@link #provision(Provisioner)}.
         */
        default Optional<Schema> keySchema() {
            return Optional.empty();
        }

        /**
         * Registers what the processor needs before its job runs (e.g. its key schema, under a
         * subject of its own such as {@code sluice.<pipeline>.<node>-key}); called at deploy time
         * only, before {@link #translate}.
         */
        default void provision(Provisioner provisioner) {}

        /**
         * Field-level lineage: for each output field, the input fields it derives from, as {@code
         * <input node id>.<field>}. Empty when the processor does not say.
         */
        default Map<String, Set<String>> lineage() {
            return Map.of();
        }

        /** Adds the processor's operators to the job. Inputs come in declaration order. */
        DataStream<SluiceRecord> translate(
                List<DataStream<SluiceRecord>> inputs, TranslationContext context);
    }
}

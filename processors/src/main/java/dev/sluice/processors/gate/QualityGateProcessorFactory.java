package dev.sluice.processors.gate;

import dev.sluice.schemas.AvroSchemas;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.config.OptionType;
import dev.sluice.sdk.factory.ProcessorFactory;
import dev.sluice.sdk.factory.TranslationContext;
import dev.sluice.sdk.functions.RecordProcessFunction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * The {@code quality-gate} processor: checks each record against data-quality rules, in order, and
 * sends the records that fail a {@code dead-letter} rule to the pipeline's dead-letter topic
 * instead of downstream; failures of {@code alert} rules are only counted. It exists so bad data is
 * stopped (and kept, replayable) at a named point of the pipeline rather than discovered in a sink.
 * Rules are validated against the input schema at plan time; see {@link dev.sluice.processors.gate}
 * for the config format and semantics.
 */
public final class QualityGateProcessorFactory implements ProcessorFactory {

    public static final String IDENTIFIER = "quality-gate";

    /** The metric group holding the per-rule failure counters. */
    public static final String METRIC_GROUP = "qualityGate";

    public static final ConfigOption<List<Object>> RULES =
            ConfigOption.key("rules")
                    .type(new RuleListType())
                    .withDescription(
                            "the rules, checked in order: [{\"rule\": \"not-null\" | \"range\" |"
                                    + " \"regex\" | \"enum\" | \"max-bytes\" | \"freshness\" |"
                                    + " \"schema\", \"field\": ..., ...args, \"action\":"
                                    + " \"dead-letter\" | \"alert\"}]");

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(RULES);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }

    @Override
    public PlannedProcessor plan(Context context) {
        NodeOptions options = context.options();
        StreamDescriptor input = context.singleInput();
        List<QualityRule> rules =
                QualityRuleParser.parse(options.get(RULES), options.pointer(RULES), input);
        return new Planned(context.nodeId(), rules, input);
    }

    /**
     * The {@code rules} array. Elements are kept as they are so that {@link QualityRuleParser} can
     * point at the exact rule that is not an object.
     */
    private static final class RuleListType extends OptionType<List<Object>> {
        @Override
        public List<Object> convert(Object raw) {
            if (raw instanceof List) {
                return Collections.unmodifiableList(new ArrayList<>((List<?>) raw));
            }
            throw new IllegalArgumentException();
        }

        @Override
        public String describe() {
            return "an array of rule objects";
        }
    }

    private static final class Planned implements PlannedProcessor {
        private final String nodeId;
        private final List<QualityRule> rules;
        private final StreamDescriptor input;

        Planned(String nodeId, List<QualityRule> rules, StreamDescriptor input) {
            this.nodeId = nodeId;
            this.rules = rules;
            this.input = input;
        }

        @Override
        public Schema outputSchema() {
            return input.schema();
        }

        @Override
        public StreamKind outputKind() {
            return input.kind();
        }

        @Override
        public Map<String, Set<String>> lineage() {
            return input.identityLineage();
        }

        @Override
        public DataStream<SluiceRecord> translate(
                List<DataStream<SluiceRecord>> inputs, TranslationContext context) {
            return context.process(
                    inputs.get(0),
                    new QualityGateFunction(nodeId, rules, input.schema().toString()),
                    input.schema(),
                    IDENTIFIER);
        }
    }

    /**
     * Checks each record against the compiled rules; the first failing {@code dead-letter} rule
     * throws a {@link QualityRuleViolation}, which {@link RecordProcessFunction} turns into a dead
     * letter. Tombstones pass unchecked.
     */
    static final class QualityGateFunction extends RecordProcessFunction {
        private static final long serialVersionUID = 1L;
        private final ArrayList<QualityRule> rules;
        private final String schemaJson;
        private final WallClock clock;
        private transient RuleEvaluator[] evaluators;
        private transient Counter[] failures;

        QualityGateFunction(String processorId, List<QualityRule> rules, String schemaJson) {
            this(processorId, rules, schemaJson, WallClock.SYSTEM);
        }

        /** With the clock the {@code freshness} rule measures against; for tests. */
        QualityGateFunction(
                String processorId, List<QualityRule> rules, String schemaJson, WallClock clock) {
            super(processorId);
            this.rules = new ArrayList<>(rules);
            this.schemaJson = schemaJson;
            this.clock = clock;
        }

        @Override
        public void open(OpenContext openContext) throws Exception {
            super.open(openContext);
            Schema schema = AvroSchemas.parse(schemaJson);
            MetricGroup group = getRuntimeContext().getMetricGroup().addGroup(METRIC_GROUP);
            evaluators = new RuleEvaluator[rules.size()];
            failures = new Counter[rules.size()];
            for (int i = 0; i < evaluators.length; i++) {
                QualityRule rule = rules.get(i);
                evaluators[i] = RuleEvaluator.compile(rule, schema, clock);
                failures[i] = group.counter(rule.metricName());
            }
        }

        @Override
        protected void processRecord(SluiceRecord record, Collector<SluiceRecord> out)
                throws QualityRuleViolation {
            for (int i = 0; i < evaluators.length; i++) {
                RuleEvaluator evaluator = evaluators[i];
                String violation = evaluator.violation(record);
                if (violation != null) {
                    failures[i].inc();
                    QualityRule rule = evaluator.rule();
                    if (rule.action() == QualityRule.Action.DEAD_LETTER) {
                        throw new QualityRuleViolation(
                                rule.index(), rule.kind().id(), evaluator.message(violation));
                    }
                }
            }
            out.collect(record);
        }
    }
}

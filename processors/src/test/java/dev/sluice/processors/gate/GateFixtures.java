package dev.sluice.processors.gate;

import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.NodeOptions;
import dev.sluice.sdk.factory.Delivery;
import dev.sluice.sdk.factory.PlatformContext;
import dev.sluice.sdk.factory.ProcessorFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/** The input schema, records and plan-time context the quality-gate tests share. */
final class GateFixtures {

    /** The pointer of the gate's {@code rules} in the test pipeline. */
    static final String RULES = "/processors/0/config/rules";

    static final Schema ORDER =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"customer\",\"type\":\"string\"},"
                                    + "{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null},"
                                    + "{\"name\":\"amount\",\"type\":[\"null\",\"double\"],\"default\":null},"
                                    + "{\"name\":\"qty\",\"type\":\"int\"},"
                                    + "{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\","
                                    + "\"symbols\":[\"NEW\",\"PAID\",\"SHIPPED\"]}},"
                                    + "{\"name\":\"updated_at\",\"type\":{\"type\":\"long\","
                                    + "\"logicalType\":\"timestamp-millis\"}},"
                                    + "{\"name\":\"created_us\",\"type\":{\"type\":\"long\","
                                    + "\"logicalType\":\"timestamp-micros\"}},"
                                    + "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}]}");

    static final String ORDER_FIELDS =
            "id, customer, email, amount, qty, status, updated_at, created_us, tags";

    static final StreamDescriptor INPUT = new StreamDescriptor("orders", ORDER, StreamKind.APPEND);

    private GateFixtures() {}

    /** A rule object from alternating keys and values, in order. */
    static Map<String, Object> rule(Object... keysAndValues) {
        Map<String, Object> rule = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            rule.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return rule;
    }

    /** Rules validated as the factory does. */
    static List<QualityRule> rules(Object... rules) {
        return QualityRuleParser.parse(List.of(rules), RULES, INPUT);
    }

    /** A valid order; tests change single fields with {@link #with}. */
    static GenericRecord order() {
        GenericRecord r = new GenericData.Record(ORDER);
        r.put("id", 1L);
        r.put("customer", new Utf8("bob"));
        r.put("email", new Utf8("bob@example.com"));
        r.put("amount", 12.5);
        r.put("qty", 2);
        r.put("status", new GenericData.EnumSymbol(ORDER.getField("status").schema(), "NEW"));
        r.put("updated_at", 1_700_000_000_000L);
        r.put("created_us", 1_700_000_000_000_000L);
        r.put("tags", List.of());
        return r;
    }

    /** A copy of {@code record} with one field changed. */
    static GenericRecord with(GenericRecord record, String field, Object value) {
        GenericRecord copy = new GenericData.Record((GenericData.Record) record, false);
        copy.put(field, value instanceof String ? new Utf8((String) value) : value);
        return copy;
    }

    /** A planning context for node "gate" at /processors/0 with a raw config. */
    static final class TestContext implements ProcessorFactory.Context {
        private final NodeOptions options;
        private final List<StreamDescriptor> inputs;

        TestContext(Map<String, Object> config, List<StreamDescriptor> inputs) {
            QualityGateProcessorFactory factory = new QualityGateProcessorFactory();
            this.options =
                    NodeOptions.validate(
                            factory.identifier(),
                            factory.requiredOptions(),
                            factory.optionalOptions(),
                            config,
                            "/processors/0/config");
            this.inputs = inputs;
        }

        @Override
        public List<StreamDescriptor> inputs() {
            return inputs;
        }

        @Override
        public String pipelineName() {
            return "shop";
        }

        @Override
        public String nodeId() {
            return "gate";
        }

        @Override
        public String pointer() {
            return "/processors/0";
        }

        @Override
        public NodeOptions options() {
            return options;
        }

        @Override
        public Delivery delivery() {
            return Delivery.EXACTLY_ONCE;
        }

        @Override
        public PlatformContext platform() {
            return null;
        }

        @Override
        public ClassLoader classLoader() {
            return getClass().getClassLoader();
        }
    }
}

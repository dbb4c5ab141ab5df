package dev.sluice.sdk.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.config.NodeOptions;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** {@link ProcessorFactory.Context#singleInput()}: one input, or an error at the node's inputs. */
class ProcessorFactoryContextTest {

    private static final Schema SCHEMA =
            SchemaBuilder.record("Order").fields().requiredLong("id").endRecord();

    /** A context with just a node id, a pointer and inputs. */
    private static final class TestContext implements ProcessorFactory.Context {
        private final List<StreamDescriptor> inputs;

        TestContext(List<StreamDescriptor> inputs) {
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
            return "enrich";
        }

        @Override
        public String pointer() {
            return "/processors/2";
        }

        @Override
        public NodeOptions options() {
            throw new UnsupportedOperationException("not used");
        }

        @Override
        public Delivery delivery() {
            return Delivery.EXACTLY_ONCE;
        }

        @Override
        public PlatformContext platform() {
            throw new UnsupportedOperationException("not used");
        }

        @Override
        public ClassLoader classLoader() {
            return getClass().getClassLoader();
        }
    }

    private static StreamDescriptor input(String nodeId) {
        return new StreamDescriptor(nodeId, SCHEMA, StreamKind.APPEND);
    }

    @Test
    void testSingleInputReturnsTheOnlyInput() {
        StreamDescriptor orders = input("orders");

        assertThat(new TestContext(List.of(orders)).singleInput()).isSameAs(orders);
    }

    @Test
    void testTwoInputsFailAtTheNodesInputs() {
        TestContext context = new TestContext(List.of(input("orders"), input("refunds")));

        ConfigValidationException e =
                catchThrowableOfType(ConfigValidationException.class, context::singleInput);

        assertThat(e.pointer()).isEqualTo("/processors/2/inputs");
        assertThat(e.getMessage()).isEqualTo("processor 'enrich' reads exactly one input, got 2");
    }

    @Test
    void testNoInputFailsAtTheNodesInputs() {
        ConfigValidationException e =
                catchThrowableOfType(
                        ConfigValidationException.class, new TestContext(List.of())::singleInput);

        assertThat(e.pointer()).isEqualTo("/processors/2/inputs");
        assertThat(e.getMessage()).isEqualTo("processor 'enrich' reads exactly one input, got 0");
    }
}

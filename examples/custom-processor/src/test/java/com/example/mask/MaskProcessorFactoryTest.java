package com.example.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.testing.ProcessorRun;
import dev.sluice.sdk.testing.ProcessorTestHarness;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The mask processor, planned and run as the platform would, with Sluice's test harness. */
class MaskProcessorFactoryTest {

    private static final Schema ORDER =
            SchemaBuilder.record("Order")
                    .namespace("demo")
                    .fields()
                    .requiredLong("id")
                    .requiredString("customer")
                    .optionalString("email")
                    .requiredDouble("amount")
                    .endRecord();

    private static GenericRecord order(long id, String customer, String email, double amount) {
        GenericRecord r = new GenericData.Record(ORDER);
        r.put("id", id);
        r.put("customer", customer);
        r.put("email", email);
        r.put("amount", amount);
        return r;
    }

    private static ProcessorTestHarness.Builder mask(Map<String, ?> config) {
        return ProcessorTestHarness.of(new MaskProcessorFactory())
                .nodeId("masked")
                .config(config)
                .input("orders", ORDER);
    }

    @Test
    void masksTheNamedStringFieldsKeepingTheirFirstCharacters() throws Exception {
        ProcessorTestHarness harness =
                mask(Map.of("fields", List.of("customer", "email"), "keep", 3)).build();
        assertThat(harness.outputSchema()).isEqualTo(ORDER);

        GenericRecord ada = order(1, "ada lovelace", "ada@example.com", 12.5);
        ProcessorRun run =
                harness.run(
                        List.of(ada, order(2, "al", null, 3.0), order(3, "grace", "g@x.io", 7.0)));

        assertThat(run.outputs())
                .containsExactly(
                        order(1, "ada***", "ada***", 12.5),
                        order(2, "***", null, 3.0),
                        order(3, "gra***", "g@x***", 7.0));
        assertThat(run.deadLetters()).isEmpty();
        // The input record is left as it was.
        assertThat(ada.get("customer")).isEqualTo("ada lovelace");
    }

    @Test
    void keepsTwoCharactersByDefault() throws Exception {
        ProcessorRun run =
                mask(Map.of("fields", List.of("customer")))
                        .build()
                        .run(List.of(order(1, "linus", null, 1.0)));
        assertThat(run.outputs()).containsExactly(order(1, "li***", null, 1.0));
    }

    @Test
    void refusesFieldsThatAreMissingOrNotStringsWithTheirPointer() {
        assertThatThrownBy(() -> mask(Map.of("fields", List.of("customer", "phone"))).build())
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/processors/0/config/fields/1"))
                .hasMessage(
                        "/processors/0/config/fields/1: input 'orders' has no field 'phone'; its"
                                + " fields: id, customer, email, amount");
        assertThatThrownBy(() -> mask(Map.of("fields", List.of("amount"))).build())
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/processors/0/config/fields/0"))
                .hasMessageContaining("field 'amount' is \"double\"; mask masks strings");
        assertThatThrownBy(() -> mask(Map.of("fields", List.of("email"), "keep", -1)).build())
                .isInstanceOfSatisfying(
                        ConfigValidationException.class,
                        e -> assertThat(e.pointer()).isEqualTo("/processors/0/config/keep"));
        assertThatThrownBy(() -> mask(Map.of("fields", "email")).build())
                .isInstanceOf(ConfigValidationException.class)
                .hasMessage(
                        "/processors/0/config/fields: expected an array of strings, got \"email\"");
    }
}

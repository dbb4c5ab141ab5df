package dev.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class PlatformSchemasTest {

    private static final Schema DLQ = PlatformSchemas.DEAD_LETTER;

    @Test
    void deadLetterIsTheDocumentedRecord() {
        assertThat(DLQ.getFullName()).isEqualTo("dev.sluice.DeadLetter");
        assertThat(DLQ.getFields().stream().map(Schema.Field::name).collect(Collectors.toList()))
                .containsExactly(
                        "original_key",
                        "original_value",
                        "source_topic",
                        "source_partition",
                        "source_offset",
                        "processor_id",
                        "error_class",
                        "error_message",
                        "failed_at_ms",
                        "attempt");
    }

    @Test
    void nullableFieldsAreNullUnionsDefaultingToNull() {
        assertNullable("original_key", Schema.Type.BYTES);
        assertNullable("original_value", Schema.Type.BYTES);
        assertNullable("source_topic", Schema.Type.STRING);
        assertNullable("source_partition", Schema.Type.INT);
        assertNullable("source_offset", Schema.Type.LONG);
    }

    @Test
    void requiredFieldsHaveTheirTypes() {
        assertThat(type("processor_id")).isEqualTo(Schema.Type.STRING);
        assertThat(type("error_class")).isEqualTo(Schema.Type.STRING);
        assertThat(type("error_message")).isEqualTo(Schema.Type.STRING);
        assertThat(type("failed_at_ms")).isEqualTo(Schema.Type.LONG);
        assertThat(type("attempt")).isEqualTo(Schema.Type.INT);
        for (String name :
                List.of(
                        "processor_id",
                        "error_class",
                        "error_message",
                        "failed_at_ms",
                        "attempt")) {
            assertThat(DLQ.getField(name).hasDefaultValue()).as(name).isFalse();
        }
    }

    private static Schema.Type type(String field) {
        return DLQ.getField(field).schema().getType();
    }

    private static void assertNullable(String name, Schema.Type type) {
        Schema.Field field = DLQ.getField(name);
        assertThat(field.schema().getType()).as(name).isEqualTo(Schema.Type.UNION);
        assertThat(field.schema().getTypes())
                .as(name)
                .containsExactly(Schema.create(Schema.Type.NULL), Schema.create(type));
        assertThat(field.defaultVal()).as(name).isEqualTo(JsonProperties.NULL_VALUE);
    }
}

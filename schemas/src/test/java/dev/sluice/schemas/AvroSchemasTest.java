package dev.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AvroSchemasTest {

    @Test
    void parsesValidSchema() {
        Schema schema =
                AvroSchemas.parse(
                        "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
        assertThat(schema.getFullName()).isEqualTo("R");
        assertThat(schema.getField("a").schema().getType()).isEqualTo(Schema.Type.INT);
    }

    @Test
    void parseIsIndependentPerCall() {
        String record = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}";
        AvroSchemas.parse(record);
        // a shared parser would reject the redefinition of R
        assertThat(AvroSchemas.parse(record).getName()).isEqualTo("R");
    }

    @Test
    void malformedJsonBecomesReadableIllegalArgument() {
        assertThatThrownBy(() -> AvroSchemas.parse("{"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid Avro schema: Unexpected end-of-input")
                .hasMessageContaining("line: 1, column: 2")
                .hasMessageNotContaining("REDACTED");
    }

    @Test
    void unknownTypeNamesTheField() {
        assertThatThrownBy(
                        () ->
                                AvroSchemas.parse(
                                        "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"strin\"}]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "invalid Avro schema: \"strin\" is not a defined name. The type of the"
                                + " \"a\" field must be a defined name or a {\"type\": ...}"
                                + " expression.");
    }

    @Test
    void invalidDefaultIsRejected() {
        assertThatThrownBy(
                        () ->
                                AvroSchemas.parse(
                                        "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"default\":\"x\"}]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "invalid Avro schema: Invalid default for field a: \"x\" not a \"int\"");
    }

    @Test
    void emptyAndNullTextAreRejected() {
        assertThatThrownBy(() -> AvroSchemas.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid Avro schema: the schema text is empty");
        assertThatThrownBy(() -> AvroSchemas.parse("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid Avro schema: the schema text is empty");
    }

    @Test
    void nonNullUnwrapsNullableUnions() {
        Schema string = Schema.create(Schema.Type.STRING);
        Schema nullable = Schema.createUnion(Schema.create(Schema.Type.NULL), string);
        assertThat(AvroSchemas.nonNull(nullable)).isEqualTo(string);
        assertThat(AvroSchemas.nonNull(string)).isSameAs(string);

        Schema wide =
                Schema.createUnion(
                        Schema.create(Schema.Type.NULL), string, Schema.create(Schema.Type.INT));
        assertThat(AvroSchemas.nonNull(wide))
                .isEqualTo(Schema.createUnion(List.of(string, Schema.create(Schema.Type.INT))));

        Schema noNull = Schema.createUnion(string, Schema.create(Schema.Type.INT));
        assertThat(AvroSchemas.nonNull(noNull)).isSameAs(noNull);
    }

    @Test
    void isNullableRecognisesNullAndNullableUnions() {
        Schema string = Schema.create(Schema.Type.STRING);
        assertThat(AvroSchemas.isNullable(string)).isFalse();
        assertThat(AvroSchemas.isNullable(Schema.create(Schema.Type.NULL))).isTrue();
        assertThat(
                        AvroSchemas.isNullable(
                                Schema.createUnion(string, Schema.create(Schema.Type.NULL))))
                .isTrue();
        assertThat(
                        AvroSchemas.isNullable(
                                Schema.createUnion(string, Schema.create(Schema.Type.INT))))
                .isFalse();
    }
}

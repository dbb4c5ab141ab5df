package dev.sluice.schemas.registry;

import static dev.sluice.schemas.registry.TestSchemas.V1;
import static dev.sluice.schemas.registry.TestSchemas.V2_ADD_WITHOUT_DEFAULT;
import static dev.sluice.schemas.registry.TestSchemas.V2_ADD_WITH_DEFAULT;
import static dev.sluice.schemas.registry.TestSchemas.V2_NAME_AS_INT;
import static dev.sluice.schemas.registry.TestSchemas.V2_REMOVE_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.schemas.AvroSchemas;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityCheckerTest {

    @Test
    void addingFieldWithDefaultIsFullyCompatible() {
        for (CompatibilityLevel level : CompatibilityLevel.values()) {
            assertThat(CompatibilityChecker.check(level, V2_ADD_WITH_DEFAULT, List.of(V1)))
                    .as(level.name())
                    .isEqualTo(CompatibilityResult.compatibleResult());
        }
    }

    @Test
    void addingFieldWithoutDefaultBreaksBackwardNamingTheField() {
        CompatibilityResult result =
                CompatibilityChecker.check(
                        CompatibilityLevel.BACKWARD, V2_ADD_WITHOUT_DEFAULT, List.of(V1));
        assertThat(result.compatible()).isFalse();
        assertThat(result.messages())
                .containsExactly(
                        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field"
                                + " 'email' at path '/fields/2' in the new schema has no default"
                                + " value and is missing in the old schema',"
                                + " additionalInfo:'email'}",
                        "{oldSchemaVersion: 1}",
                        "{compatibility: 'BACKWARD'}");
        assertThat(
                        CompatibilityChecker.check(
                                        CompatibilityLevel.FORWARD,
                                        V2_ADD_WITHOUT_DEFAULT,
                                        List.of(V1))
                                .compatible())
                .isTrue();
    }

    @Test
    void removingFieldBreaksForwardNamingTheField() {
        CompatibilityResult result =
                CompatibilityChecker.check(CompatibilityLevel.FORWARD, V2_REMOVE_NAME, List.of(V1));
        assertThat(result.compatible()).isFalse();
        assertThat(result.messages().get(0))
                .isEqualTo(
                        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field"
                                + " 'name' at path '/fields/1' in the old schema has no default"
                                + " value and is missing in the new schema',"
                                + " additionalInfo:'name'}");
        assertThat(
                        CompatibilityChecker.check(
                                        CompatibilityLevel.BACKWARD, V2_REMOVE_NAME, List.of(V1))
                                .compatible())
                .isTrue();
        assertThat(
                        CompatibilityChecker.check(
                                        CompatibilityLevel.FULL, V2_REMOVE_NAME, List.of(V1))
                                .compatible())
                .isFalse();
    }

    @Test
    void typeChangeNamesTheField() {
        CompatibilityResult result =
                CompatibilityChecker.check(
                        CompatibilityLevel.BACKWARD, V2_NAME_AS_INT, List.of(V1));
        assertThat(result.messages().get(0))
                .isEqualTo(
                        "{errorType:'TYPE_MISMATCH', description:'The type of field 'name' (path"
                                + " '/fields/1/type') in the new schema does not match the old"
                                + " schema (reader type: INT not compatible with writer type:"
                                + " STRING)', additionalInfo:'name'}");
    }

    @Test
    void fullChecksBothDirections() {
        CompatibilityResult result =
                CompatibilityChecker.check(CompatibilityLevel.FULL, V2_NAME_AS_INT, List.of(V1));
        assertThat(result.messages())
                .hasSize(4)
                .anySatisfy(m -> assertThat(m).contains("in the new schema does not match the old"))
                .anySatisfy(m -> assertThat(m).contains("in the old schema does not match the new"))
                .contains("{compatibility: 'FULL'}");
    }

    @Test
    void transitiveLevelsCheckEveryVersion() {
        Schema v1 = record("{\"name\":\"id\",\"type\":\"long\"}");
        Schema v2 =
                record(
                        "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"a\",\"type\":\"string\",\"default\":\"\"}");
        Schema v3 =
                record("{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"a\",\"type\":\"string\"}");

        assertThat(
                        CompatibilityChecker.check(CompatibilityLevel.BACKWARD, v3, List.of(v1, v2))
                                .compatible())
                .isTrue();
        CompatibilityResult transitive =
                CompatibilityChecker.check(
                        CompatibilityLevel.BACKWARD_TRANSITIVE, v3, List.of(v1, v2));
        assertThat(transitive.compatible()).isFalse();
        assertThat(transitive.messages())
                .contains("{oldSchemaVersion: 1}", "{compatibility: 'BACKWARD_TRANSITIVE'}")
                .doesNotContain("{oldSchemaVersion: 2}");
    }

    @Test
    void noneAndEmptyHistoryAcceptAnything() {
        assertThat(CompatibilityChecker.check(CompatibilityLevel.NONE, V2_NAME_AS_INT, List.of(V1)))
                .isEqualTo(CompatibilityResult.compatibleResult());
        assertThat(CompatibilityChecker.check(CompatibilityLevel.FULL, V2_NAME_AS_INT, List.of()))
                .isEqualTo(CompatibilityResult.compatibleResult());
    }

    @Test
    void nestedFieldPathsAreResolved() {
        Schema reader =
                withAddress(
                        "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"street\",\"type\":\"int\"}]}");
        Schema writer =
                withAddress(
                        "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"street\",\"type\":\"string\"}]}");
        assertThat(CompatibilityChecker.checkPair(CompatibilityLevel.BACKWARD, reader, writer))
                .containsExactly(
                        "{errorType:'TYPE_MISMATCH', description:'The type of field"
                                + " 'address.street' (path '/fields/1/type/fields/0/type') in the"
                                + " new schema does not match the old schema (reader type: INT not"
                                + " compatible with writer type: STRING)',"
                                + " additionalInfo:'address.street'}");
    }

    @Test
    void unionBranchesAreFollowedInFieldPaths() {
        Schema reader =
                withAddress(
                        "[\"null\",{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"street\",\"type\":\"int\"}]}]");
        assertThat(CompatibilityChecker.fieldPath(reader, "/fields/1/type/1/fields/0/type"))
                .isEqualTo("address.street");
        // without the branch index the only record branch is taken
        assertThat(CompatibilityChecker.fieldPath(reader, "/fields/1/type/fields/0"))
                .isEqualTo("address.street");
        assertThat(CompatibilityChecker.fieldPath(reader, "/fields/9")).isEmpty();
        assertThat(CompatibilityChecker.fieldPath(reader, "")).isEmpty();
        // Avro reports a union-to-union mismatch at the union: the message names its field
        Schema writer =
                withAddress(
                        "[\"null\",{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"street\",\"type\":\"string\"}]}]");
        assertThat(CompatibilityChecker.checkPair(CompatibilityLevel.BACKWARD, reader, writer))
                .singleElement()
                .satisfies(m -> assertThat(m).contains("The union of field 'address'"));
    }

    private static Schema withAddress(String addressType) {
        return AvroSchemas.parse(
                "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
                        + "{\"name\":\"address\",\"type\":"
                        + addressType
                        + "}]}");
    }

    @Test
    void levelsParseCaseInsensitivelyAndListAllowedValues() {
        assertThat(CompatibilityLevel.parse("full_transitive"))
                .isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
        assertThatThrownBy(() -> CompatibilityLevel.parse("SIDEWAYS"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "unknown compatibility level 'SIDEWAYS'; allowed: NONE, BACKWARD,"
                                + " BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL,"
                                + " FULL_TRANSITIVE");
    }

    private static Schema record(String fields) {
        return AvroSchemas.parse(
                "{\"type\":\"record\",\"name\":\"T\",\"fields\":[" + fields + "]}");
    }
}

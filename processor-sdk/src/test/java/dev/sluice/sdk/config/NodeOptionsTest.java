package dev.sluice.sdk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A node's config against its declared options: unknown, missing and mistyped keys, defaults. */
class NodeOptionsTest {

    private static final String POINTER = "/processors/0/config";

    private static final ConfigOption<String> CONDITION =
            ConfigOption.key("condition")
                    .stringType()
                    .withDescription("a SQL boolean expression over the input's fields");
    private static final ConfigOption<Integer> X = ConfigOption.key("x").intType();
    private static final ConfigOption<Integer> PARTITIONS =
            ConfigOption.key("partitions").intType().defaultValue(3);
    private static final ConfigOption<Boolean> COMPACT = ConfigOption.key("compact").booleanType();
    private static final ConfigOption<Duration> TTL =
            ConfigOption.key("ttl").type(OptionType.DURATION);
    private static final ConfigOption<Map<String, String>> FIELDS =
            ConfigOption.key("fields").type(OptionType.STRING_MAP);

    private static NodeOptions validate(
            Set<ConfigOption<?>> required, Set<ConfigOption<?>> optional, Map<String, Object> raw) {
        return NodeOptions.validate("test-node", required, optional, raw, POINTER);
    }

    private static ConfigValidationException error(
            Set<ConfigOption<?>> required, Set<ConfigOption<?>> optional, Map<String, Object> raw) {
        return catchThrowableOfType(
                ConfigValidationException.class, () -> validate(required, optional, raw));
    }

    @Test
    void testUnknownKeyNamesKeyPointerAndSortedAllowedKeys() {
        ConfigValidationException e =
                error(
                        Set.of(CONDITION),
                        Set.of(X, PARTITIONS, COMPACT),
                        Map.of("condition", "a > 1", "conditon", "a > 1"));

        assertThat(e.pointer()).isEqualTo("/processors/0/config/conditon");
        assertThat(e.getMessage())
                .isEqualTo(
                        "unknown key 'conditon' at /processors/0/config/conditon; allowed keys"
                                + " for 'test-node': compact, condition, partitions, x");
    }

    @Test
    void testUnknownKeyWhenNoKeysAreAllowedSaysNone() {
        ConfigValidationException e = error(Set.of(), Set.of(), Map.of("extra", true));

        assertThat(e.pointer()).isEqualTo("/processors/0/config/extra");
        assertThat(e.getMessage())
                .isEqualTo(
                        "unknown key 'extra' at /processors/0/config/extra; allowed keys for"
                                + " 'test-node': (none)");
    }

    @Test
    void testMissingRequiredKeyNamesItsTypeAndDescription() {
        ConfigValidationException e = error(Set.of(CONDITION), Set.of(), Map.of());

        assertThat(e.pointer()).isEqualTo("/processors/0/config/condition");
        assertThat(e.getMessage())
                .isEqualTo(
                        "missing required key 'condition' in /processors/0/config (test-node: a"
                                + " string; a SQL boolean expression over the input's fields)");
    }

    @Test
    void testRequiredKeyWithNullValueIsMissing() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("x", null);

        ConfigValidationException e = error(Set.of(X), Set.of(), raw);

        assertThat(e.pointer()).isEqualTo("/processors/0/config/x");
        assertThat(e.getMessage())
                .isEqualTo(
                        "missing required key 'x' in /processors/0/config (test-node: an integer)");
    }

    @Test
    void testWrongTypeNamesPointerExpectedTypeAndValue() {
        ConfigValidationException e = error(Set.of(X), Set.of(), Map.of("x", "two"));

        assertThat(e.pointer()).isEqualTo("/processors/0/config/x");
        assertThat(e.getMessage())
                .isEqualTo("/processors/0/config/x: expected an integer, got \"two\"");
    }

    @Test
    void testWrongTypeRendersNonStringValuesUnquoted() {
        assertThat(error(Set.of(), Set.of(COMPACT), Map.of("compact", 1)).getMessage())
                .isEqualTo("/processors/0/config/compact: expected true or false, got 1");
        assertThat(error(Set.of(X), Set.of(), Map.of("x", 2.5)).getMessage())
                .isEqualTo("/processors/0/config/x: expected an integer, got 2.5");
        assertThat(error(Set.of(X), Set.of(), Map.of("x", 3_000_000_000L)).getMessage())
                .isEqualTo("/processors/0/config/x: expected an integer, got 3000000000");
        assertThat(error(Set.of(), Set.of(FIELDS), Map.of("fields", Map.of("a", 1))).getMessage())
                .isEqualTo(
                        "/processors/0/config/fields: expected an object whose values are"
                                + " strings, got {a=1}");
    }

    @Test
    void testTypedValuesAreConverted() {
        NodeOptions options =
                validate(
                        Set.of(CONDITION),
                        Set.of(X, COMPACT),
                        Map.of("condition", "a > 1", "x", 7L, "compact", false));

        assertThat(options.get(CONDITION)).isEqualTo("a > 1");
        assertThat(options.get(X)).isEqualTo(7);
        assertThat(options.get(COMPACT)).isFalse();
        assertThat(options.factoryIdentifier()).isEqualTo("test-node");
        assertThat(options.pointer()).isEqualTo(POINTER);
    }

    @Test
    void testDefaultsApplyWhenTheKeyIsAbsent() {
        NodeOptions options = validate(Set.of(), Set.of(PARTITIONS, COMPACT), Map.of());

        assertThat(options.get(PARTITIONS)).isEqualTo(3);
        assertThat(options.getOptional(PARTITIONS)).contains(3);
        assertThat(options.contains(PARTITIONS)).isFalse();
        assertThat(options.getOptional(COMPACT)).isEmpty();
    }

    @Test
    void testSetValueWinsOverDefault() {
        NodeOptions options = validate(Set.of(), Set.of(PARTITIONS), Map.of("partitions", 12));

        assertThat(options.get(PARTITIONS)).isEqualTo(12);
        assertThat(options.contains(PARTITIONS)).isTrue();
    }

    @Test
    void testNullOptionalValueIsTreatedAsAbsent() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("partitions", null);
        raw.put("compact", null);

        NodeOptions options = validate(Set.of(), Set.of(PARTITIONS, COMPACT), raw);

        assertThat(options.contains(PARTITIONS)).isFalse();
        assertThat(options.get(PARTITIONS)).isEqualTo(3);
        assertThat(options.getOptional(COMPACT)).isEmpty();
    }

    @Test
    void testGetWithoutValueOrDefaultFailsNamingTheKey() {
        NodeOptions options = validate(Set.of(), Set.of(COMPACT), Map.of());

        ConfigValidationException e =
                catchThrowableOfType(ConfigValidationException.class, () -> options.get(COMPACT));

        assertThat(e.pointer()).isEqualTo("/processors/0/config/compact");
        assertThat(e.getMessage()).isEqualTo("missing required key 'compact'");
    }

    @Test
    void testStringMapKeepsInsertionOrder() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("zeta", "z");
        fields.put("alpha", "a");
        fields.put("mid", "m");

        NodeOptions options = validate(Set.of(FIELDS), Set.of(), Map.of("fields", fields));

        assertThat(options.get(FIELDS))
                .containsExactly(
                        Map.entry("zeta", "z"), Map.entry("alpha", "a"), Map.entry("mid", "m"));
    }

    @Test
    void testDurationParsesIso8601() {
        NodeOptions options = validate(Set.of(), Set.of(TTL), Map.of("ttl", "PT5S"));

        assertThat(options.get(TTL)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void testDurationRejectsOtherText() {
        ConfigValidationException e = error(Set.of(), Set.of(TTL), Map.of("ttl", "5s"));

        assertThat(e.pointer()).isEqualTo("/processors/0/config/ttl");
        assertThat(e.getMessage())
                .isEqualTo(
                        "/processors/0/config/ttl: expected an ISO-8601 duration such as"
                                + " \"PT30S\", got \"5s\"");
    }

    @Test
    void testStringListAndOneOf() {
        ConfigOption<List<String>> tables = ConfigOption.key("tables").type(OptionType.STRING_LIST);
        ConfigOption<String> kind =
                ConfigOption.key("kind").type(OptionType.oneOf("inner", "left"));

        NodeOptions options =
                validate(
                        Set.of(tables, kind),
                        Set.of(),
                        Map.of("tables", List.of("b", "a"), "kind", "left"));

        assertThat(options.get(tables)).containsExactly("b", "a");
        assertThat(options.get(kind)).isEqualTo("left");
        assertThat(error(Set.of(kind), Set.of(), Map.of("kind", "outer")).getMessage())
                .isEqualTo("/processors/0/config/kind: expected one of inner, left, got \"outer\"");
    }

    @Test
    void testPointerEscapesSlashAndTildeInKeys() {
        ConfigValidationException slash = error(Set.of(), Set.of(X), Map.of("a/b", "v"));
        ConfigValidationException tilde = error(Set.of(), Set.of(X), Map.of("~", "v"));
        ConfigValidationException both = error(Set.of(), Set.of(X), Map.of("~1/", "v"));

        assertThat(slash.pointer()).isEqualTo("/processors/0/config/a~1b");
        assertThat(slash.getMessage())
                .isEqualTo(
                        "unknown key 'a/b' at /processors/0/config/a~1b; allowed keys for"
                                + " 'test-node': x");
        assertThat(tilde.pointer()).isEqualTo("/processors/0/config/~0");
        // '~' is escaped first, so "~1" stays distinguishable from "/"
        assertThat(both.pointer()).isEqualTo("/processors/0/config/~01~1");
    }

    @Test
    void testPointerOfAnOptionEscapesItsKey() {
        ConfigOption<String> odd = ConfigOption.key("a/b~c").stringType();
        NodeOptions options = validate(Set.of(odd), Set.of(), Map.of("a/b~c", "v"));

        assertThat(options.pointer(odd)).isEqualTo("/processors/0/config/a~1b~0c");
        assertThat(options.get(odd)).isEqualTo("v");
        assertThat(NodeOptions.escape("plain")).isEqualTo("plain");
    }

    @Test
    void testTypedValuesAreImmutable() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("a", "b");
        NodeOptions options = validate(Set.of(FIELDS), Set.of(), Map.of("fields", fields));

        Map<String, String> read = options.get(FIELDS);
        fields.put("c", "d");

        assertThat(read).containsExactly(Map.entry("a", "b"));
        assertThat(
                        catchThrowableOfType(
                                UnsupportedOperationException.class, () -> read.put("x", "y")))
                .isNotNull();
    }
}

package dev.sluice.processors.join;

import dev.sluice.schemas.AvroSchemas;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.config.ConfigValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The plan-time schema rules of the {@code join} processor: which fields can be join fields, which
 * pairs of them can meet, and the output schema (left fields, then right fields, clashing right
 * names prefixed, right fields nullable for a left join).
 *
 * <p>Kept apart from the factory so the rules read in one place and the factory only walks the
 * config.
 */
final class JoinSchemas {

    static final String ALLOWED_TYPES =
            "a string, enum, int, long, float, double, boolean, bytes or fixed (nullable or not)";

    static final String ALLOWED_PAIRS = "the same type, int with long, string with enum";

    private JoinSchemas() {}

    /** The output schema and its field-level lineage. */
    static final class Output {
        private final Schema schema;
        private final Map<String, Set<String>> lineage;

        Output(Schema schema, Map<String, Set<String>> lineage) {
            this.schema = schema;
            this.lineage = lineage;
        }

        Schema schema() {
            return schema;
        }

        Map<String, Set<String>> lineage() {
            return lineage;
        }
    }

    /**
     * The join field {@code name} of {@code input}.
     *
     * @param pointer the JSON pointer of the {@code on} entry naming it
     * @throws ConfigValidationException if the input has no such field or its type cannot be joined
     */
    static Schema.Field joinField(StreamDescriptor input, String name, String pointer) {
        Schema.Field field = input.schema().getField(name);
        if (field == null) {
            throw new ConfigValidationException(
                    pointer,
                    "unknown field '"
                            + name
                            + "' at "
                            + pointer
                            + "; fields of input '"
                            + input.nodeId()
                            + "': "
                            + fieldNames(input.schema()));
        }
        Schema base = AvroSchemas.nonNull(field.schema());
        if (joinClass(base) == null) {
            throw new ConfigValidationException(
                    pointer,
                    "field '"
                            + name
                            + "' of input '"
                            + input.nodeId()
                            + "' at "
                            + pointer
                            + " is "
                            + describe(base)
                            + "; a join field must be "
                            + ALLOWED_TYPES);
        }
        return field;
    }

    /**
     * Checks that the two join fields can hold equal values.
     *
     * @param pointer the JSON pointer of the right input's {@code on} entry
     */
    static void checkCompatible(
            StreamDescriptor left,
            Schema.Field leftField,
            StreamDescriptor right,
            Schema.Field rightField,
            String pointer) {
        Schema l = AvroSchemas.nonNull(leftField.schema());
        Schema r = AvroSchemas.nonNull(rightField.schema());
        if (!joinClass(l).equals(joinClass(r))) {
            throw new ConfigValidationException(
                    pointer,
                    "join fields do not match: '"
                            + leftField.name()
                            + "' of '"
                            + left.nodeId()
                            + "' is "
                            + describe(l)
                            + " but '"
                            + rightField.name()
                            + "' of '"
                            + right.nodeId()
                            + "' is "
                            + describe(r)
                            + "; allowed: "
                            + ALLOWED_PAIRS);
        }
    }

    /**
     * What values of a (non-null) type compare as, or null when the type cannot be a join field:
     * strings and enums as strings, plain ints and longs as integers, anything else only with its
     * own type (logical type, decimal precision and scale, fixed size included).
     */
    static String joinClass(Schema base) {
        LogicalType logical = base.getLogicalType();
        switch (base.getType()) {
            case STRING:
            case ENUM:
                return "string";
            case INT:
            case LONG:
                return logical == null ? "integer" : base.getType() + ":" + logicalName(logical);
            case FLOAT:
            case DOUBLE:
            case BOOLEAN:
            case BYTES:
                return base.getType() + (logical == null ? "" : ":" + logicalName(logical));
            case FIXED:
                return "fixed:"
                        + base.getFullName()
                        + ":"
                        + base.getFixedSize()
                        + (logical == null ? "" : ":" + logicalName(logical));
            default:
                return null;
        }
    }

    private static String logicalName(LogicalType logical) {
        if (logical instanceof LogicalTypes.Decimal) {
            LogicalTypes.Decimal d = (LogicalTypes.Decimal) logical;
            return logical.getName() + "(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        return logical.getName();
    }

    /**
     * The output schema: the left fields as they are, then the right fields, a right field whose
     * name a left field has renamed {@code <right id>_<name>}; for a left join every right field is
     * nullable with default null.
     *
     * @param pointer the JSON pointer of the join node
     * @throws ConfigValidationException if a prefixed name is taken too, or the result is not valid
     *     Avro (two inputs define one named type differently)
     */
    static Output output(
            String nodeId,
            String pointer,
            String recordName,
            StreamDescriptor left,
            StreamDescriptor right,
            boolean leftJoin) {
        Set<String> leftNames = new HashSet<>();
        left.schema().getFields().forEach(f -> leftNames.add(f.name()));
        Set<String> rightNames = new HashSet<>();
        right.schema().getFields().forEach(f -> rightNames.add(f.name()));
        String prefix = avroName(right.nodeId()) + "_";

        List<Schema.Field> fields = new ArrayList<>();
        Map<String, Set<String>> lineage = new LinkedHashMap<>();
        for (Schema.Field f : left.schema().getFields()) {
            fields.add(copy(f, f.name(), f.schema(), f.hasDefaultValue() ? f.defaultVal() : null));
            lineage.put(f.name(), Set.of(left.nodeId() + "." + f.name()));
        }
        for (Schema.Field f : right.schema().getFields()) {
            String name = f.name();
            if (leftNames.contains(name)) {
                name = prefix + f.name();
                if (leftNames.contains(name) || rightNames.contains(name)) {
                    throw new ConfigValidationException(
                            pointer + "/inputs/1",
                            "join '"
                                    + nodeId
                                    + "': field '"
                                    + f.name()
                                    + "' of '"
                                    + right.nodeId()
                                    + "' is also a field of '"
                                    + left.nodeId()
                                    + "', and its prefixed name '"
                                    + name
                                    + "' is taken too (by a field of '"
                                    + (leftNames.contains(name) ? left.nodeId() : right.nodeId())
                                    + "'); rename one of them with a project before the join");
                }
            }
            if (leftJoin) {
                fields.add(
                        copy(
                                f,
                                name,
                                nullable(AvroSchemas.nonNull(f.schema())),
                                JsonProperties.NULL_VALUE));
            } else {
                fields.add(copy(f, name, f.schema(), f.hasDefaultValue() ? f.defaultVal() : null));
            }
            lineage.put(name, Set.of(right.nodeId() + "." + f.name()));
        }
        Schema schema;
        try {
            schema = Schema.createRecord(recordName, null, null, false, fields);
            // Two inputs may define one named type differently: Avro notices only when the
            // schema is written out and read back, as every operator will do.
            AvroSchemas.parse(schema.toString());
        } catch (AvroRuntimeException | IllegalArgumentException e) {
            throw new ConfigValidationException(
                    pointer + "/inputs",
                    "join '"
                            + nodeId
                            + "': the joined schema of '"
                            + left.nodeId()
                            + "' and '"
                            + right.nodeId()
                            + "' is not valid Avro: "
                            + e.getMessage(),
                    e);
        }
        return new Output(schema, Collections.unmodifiableMap(lineage));
    }

    private static Schema.Field copy(
            Schema.Field from, String name, Schema schema, Object defaultValue) {
        Schema.Field field = new Schema.Field(name, schema, from.doc(), defaultValue);
        from.getObjectProps().forEach(field::addProp);
        return field;
    }

    /** {@code ["null", T]}; for a union of several types, null joins its branches. */
    static Schema nullable(Schema base) {
        List<Schema> branches = new ArrayList<>();
        branches.add(Schema.create(Schema.Type.NULL));
        if (base.getType() == Schema.Type.UNION) {
            branches.addAll(base.getTypes());
        } else {
            branches.add(base);
        }
        return Schema.createUnion(branches);
    }

    /** A name usable in Avro: letters, digits and '_', not starting with a digit. */
    static String avroName(String text) {
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            sb.append((c < 128 && Character.isLetterOrDigit(c)) || c == '_' ? c : '_');
        }
        return sb.length() == 0 || Character.isDigit(sb.charAt(0)) ? "_" + sb : sb.toString();
    }

    /** The Avro record name of a join's output: stable per pipeline and node. */
    static String outputRecordName(String pipeline, String nodeId) {
        return avroName(pipeline + "_" + nodeId);
    }

    static String fieldNames(Schema schema) {
        return schema.getFields().stream()
                .map(Schema.Field::name)
                .collect(Collectors.joining(", "));
    }

    /**
     * A type as messages name it: {@code long}, {@code timestamp-millis (long)}, {@code enum x.S}.
     */
    static String describe(Schema s) {
        switch (s.getType()) {
            case RECORD:
                return "record " + s.getFullName();
            case ENUM:
                return "enum " + s.getFullName();
            case FIXED:
                return "fixed " + s.getFullName() + "(" + s.getFixedSize() + ")";
            case ARRAY:
                return "array of " + describe(s.getElementType());
            case MAP:
                return "map of " + describe(s.getValueType());
            case UNION:
                return s.getTypes().stream()
                        .map(JoinSchemas::describe)
                        .collect(Collectors.joining(" or "));
            default:
                LogicalType lt = s.getLogicalType();
                return lt == null
                        ? s.getType().getName()
                        : logicalName(lt) + " (" + s.getType().getName() + ")";
        }
    }
}

package dev.sluice.processors.union;

import dev.sluice.schemas.AvroSchemas;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.config.ConfigValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The schema rules of the {@code union} processor: how the value schemas of several inputs become
 * one output schema, and which value conversions that takes.
 *
 * <p>Kept apart from the factory because the same rules decide twice: at plan time (is the union
 * possible, what is its output schema) and in each align operator (how an input field's values
 * become output values). One place means the two can never disagree.
 *
 * <p>Rules, per field name (fields in order of first appearance, the first input's first):
 *
 * <ul>
 *   <li>{@code ["null", T]} counts as {@code T}; the output field is nullable ({@code ["null", T]},
 *       default {@code null}) when the field is nullable in any input or missing from any.
 *   <li>Primitive types are the same when their Avro type and logical type are (other schema
 *       properties are ignored); records, enums, fixed, arrays, maps and unions of several types
 *       only when their schemas are equal.
 *   <li>Widenings: {@code int} to {@code long}; {@code int}, {@code long} or {@code float} to
 *       {@code double}; {@code enum} to {@code string} (only for types without a logical type). The
 *       output type is the one every input's type is the same as or widens to.
 *   <li>A field that is not nullable in the output keeps its default only when every input declares
 *       the same one (and it is valid for the output type).
 * </ul>
 */
final class UnionSchemas {

    /** What widening an input value into the output type takes. */
    enum Conversion {
        /** The value is already of the output type. */
        IDENTITY,
        /** A number ({@code int}) becomes a {@code long}. */
        TO_LONG,
        /** A number ({@code int}, {@code long}, {@code float}) becomes a {@code double}. */
        TO_DOUBLE,
        /** An enum symbol becomes a string ({@code Utf8}). */
        TO_STRING
    }

    static final String ALLOWED =
            "same types, or int to long, int/long/float to double, enum to string";

    private UnionSchemas() {}

    /** The unified output schema of a union and its field lineage. */
    static final class Unified {
        private final Schema schema;
        private final Map<String, Set<String>> lineage;

        Unified(Schema schema, Map<String, Set<String>> lineage) {
            this.schema = schema;
            this.lineage = lineage;
        }

        Schema schema() {
            return schema;
        }

        /** Output field to the {@code <input id>.<field>} it comes from, in output field order. */
        Map<String, Set<String>> lineage() {
            return lineage;
        }
    }

    /** One input's version of a field. */
    private static final class Member {
        final int input;
        final Schema.Field field;
        final Schema base;

        Member(int input, Schema.Field field) {
            this.input = input;
            this.field = field;
            this.base = AvroSchemas.nonNull(field.schema());
        }
    }

    /**
     * Unifies the inputs' value schemas into the record {@code recordName}.
     *
     * @param nodeId the union's node id, for messages
     * @param pointer the union's JSON pointer, e.g. {@code /processors/0}
     * @throws ConfigValidationException at {@code <pointer>/inputs/<i>} naming the field, both
     *     types and both inputs when input {@code i} has a field of a type that does not fit
     */
    static Unified unify(
            String nodeId, String pointer, String recordName, List<StreamDescriptor> inputs) {
        Map<String, List<Member>> byName = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            for (Schema.Field f : inputs.get(i).schema().getFields()) {
                byName.computeIfAbsent(f.name(), n -> new ArrayList<>()).add(new Member(i, f));
            }
        }
        List<Schema.Field> fields = new ArrayList<>();
        Map<String, Set<String>> lineage = new LinkedHashMap<>();
        for (Map.Entry<String, List<Member>> e : byName.entrySet()) {
            String name = e.getKey();
            List<Member> members = e.getValue();
            Schema base = commonType(nodeId, pointer, name, members, inputs);
            boolean nullable = members.size() < inputs.size();
            for (Member m : members) {
                nullable |= AvroSchemas.isNullable(m.field.schema());
            }
            fields.add(outputField(name, base, nullable, members));
            Set<String> from = new TreeSet<>();
            members.forEach(m -> from.add(inputs.get(m.input).nodeId() + "." + name));
            lineage.put(name, Collections.unmodifiableSet(from));
        }
        Schema schema;
        try {
            schema = Schema.createRecord(recordName, null, null, false, fields);
            // Two fields may bring different named types of one full name: Avro only notices
            // when the schema is written out and read back, as every operator will do.
            AvroSchemas.parse(schema.toString());
        } catch (AvroRuntimeException | IllegalArgumentException ex) {
            throw new ConfigValidationException(
                    pointer + "/inputs",
                    "union '"
                            + nodeId
                            + "': the unified schema is not valid Avro: "
                            + ex.getMessage()
                            + "; inputs must have compatible schemas",
                    ex);
        }
        return new Unified(schema, Collections.unmodifiableMap(lineage));
    }

    /** The type all members are the same as or widen to, else the first conflict as an error. */
    private static Schema commonType(
            String nodeId,
            String pointer,
            String field,
            List<Member> members,
            List<StreamDescriptor> inputs) {
        Schema common = target(members, members);
        if (common != null) {
            return common;
        }
        // Name the first input that breaks it: the first member j such that no type of any input
        // fits members[0..j], against the earlier member that has the type members[0..j-1] would
        // unify to (or else one that does not go with j at all).
        for (int j = 1; j < members.size(); j++) {
            if (target(members.subList(0, j + 1), members) == null) {
                Member late = members.get(j);
                Schema t = target(members.subList(0, j), members);
                Member earlier = null;
                for (Member m : members.subList(0, j)) {
                    if (sameType(m.base, t)) {
                        earlier = m;
                        break;
                    }
                }
                for (Member m : members.subList(0, j)) {
                    if (earlier != null) {
                        break;
                    }
                    if (target(List.of(m, late), members) == null) {
                        earlier = m;
                    }
                }
                if (earlier == null) {
                    earlier = members.get(0);
                }
                String earlierType = describe(earlier.base);
                String lateType = describe(late.base);
                if (earlierType.equals(lateType)) {
                    lateType = "a different " + lateType;
                }
                throw new ConfigValidationException(
                        pointer + "/inputs/" + late.input,
                        "union '"
                                + nodeId
                                + "': field '"
                                + field
                                + "' is "
                                + earlierType
                                + " in '"
                                + inputs.get(earlier.input).nodeId()
                                + "' but "
                                + lateType
                                + " in '"
                                + inputs.get(late.input).nodeId()
                                + "'; inputs must have compatible schemas ("
                                + ALLOWED
                                + ")");
            }
        }
        throw new IllegalStateException("no common type, yet no conflicting input: " + field);
    }

    /** The first type of {@code candidates} that every one of {@code members} fits, or null. */
    private static Schema target(List<Member> members, List<Member> candidates) {
        for (Member candidate : candidates) {
            boolean all = true;
            for (Member m : members) {
                all &= widens(m.base, candidate.base);
            }
            if (all) {
                return candidate.base;
            }
        }
        return null;
    }

    private static Schema.Field outputField(
            String name, Schema base, boolean nullable, List<Member> members) {
        String doc = members.get(0).field.doc();
        if (nullable) {
            return new Schema.Field(name, nullable(base), doc, JsonProperties.NULL_VALUE);
        }
        Object defaultValue = members.get(0).field.defaultVal();
        boolean sameDefault = defaultValue != null;
        for (Member m : members) {
            sameDefault &=
                    m.field.hasDefaultValue() && Objects.equals(m.field.defaultVal(), defaultValue);
        }
        if (sameDefault) {
            try {
                return new Schema.Field(name, base, doc, defaultValue);
            } catch (AvroRuntimeException invalidForWidenedType) {
                // fall through: no default
            }
        }
        return new Schema.Field(name, base, doc);
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

    /**
     * Whether two (non-null) types are the same for a union: primitives by Avro type and logical
     * type, everything else by schema equality.
     */
    static boolean sameType(Schema a, Schema b) {
        if (a.getType() != b.getType()) {
            return false;
        }
        switch (a.getType()) {
            case RECORD:
            case ENUM:
            case FIXED:
            case ARRAY:
            case MAP:
            case UNION:
                return a.equals(b);
            default:
                LogicalType la = a.getLogicalType();
                LogicalType lb = b.getLogicalType();
                if (la == null || lb == null) {
                    return la == lb;
                }
                return la.getName().equals(lb.getName())
                        && (!(la instanceof LogicalTypes.Decimal) || la.equals(lb));
        }
    }

    /** Whether values of (non-null) type {@code from} fit type {@code to}, widened if need be. */
    static boolean widens(Schema from, Schema to) {
        return sameType(from, to) || conversion(from, to) != null;
    }

    /**
     * The conversion from values of {@code from} to {@code to}, {@link Conversion#IDENTITY} for the
     * same type, or null when there is none.
     */
    static Conversion conversion(Schema from, Schema to) {
        if (sameType(from, to)) {
            return Conversion.IDENTITY;
        }
        if (from.getLogicalType() != null || to.getLogicalType() != null) {
            return null;
        }
        switch (from.getType()) {
            case INT:
                return to.getType() == Schema.Type.LONG
                        ? Conversion.TO_LONG
                        : to.getType() == Schema.Type.DOUBLE ? Conversion.TO_DOUBLE : null;
            case LONG:
            case FLOAT:
                return to.getType() == Schema.Type.DOUBLE ? Conversion.TO_DOUBLE : null;
            case ENUM:
                return to.getType() == Schema.Type.STRING ? Conversion.TO_STRING : null;
            default:
                return null;
        }
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
                        .map(UnionSchemas::describe)
                        .collect(Collectors.joining(" or "));
            default:
                LogicalType lt = s.getLogicalType();
                if (lt == null) {
                    return s.getType().getName();
                }
                String logical = lt.getName();
                if (lt instanceof LogicalTypes.Decimal) {
                    LogicalTypes.Decimal d = (LogicalTypes.Decimal) lt;
                    logical += "(" + d.getPrecision() + "," + d.getScale() + ")";
                }
                return logical + " (" + s.getType().getName() + ")";
        }
    }
}

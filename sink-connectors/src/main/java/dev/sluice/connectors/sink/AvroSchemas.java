package dev.sluice.connectors.sink;

import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Reading Avro schemas the way table sinks need: a field's nullability (a union of {@code null} and
 * one type), its one non-null type, and a short description of a type for error messages.
 */
public final class AvroSchemas {

    private AvroSchemas() {}

    /** Whether the schema admits {@code null}. */
    public static boolean isNullable(Schema schema) {
        if (schema.getType() == Schema.Type.NULL) {
            return true;
        }
        if (schema.getType() != Schema.Type.UNION) {
            return false;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                return true;
            }
        }
        return false;
    }

    /**
     * The one non-null type of a schema: itself, or the other branch of a {@code [null, X]} union.
     *
     * @throws IllegalArgumentException for unions of several non-null types, which no table column
     *     holds
     */
    public static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        Schema found = null;
        List<Schema> branches = schema.getTypes();
        for (Schema branch : branches) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            if (found != null) {
                throw new IllegalArgumentException(
                        "a union of several types ("
                                + describe(schema)
                                + ") has no column type; only [null, X] unions are supported");
            }
            found = branch;
        }
        if (found == null) {
            throw new IllegalArgumentException("a field of type null has no column type");
        }
        return found;
    }

    /** The logical type name of a schema, or {@code null}. */
    public static String logicalName(Schema schema) {
        LogicalType lt = schema.getLogicalType();
        return lt == null ? null : lt.getName();
    }

    /** Whether the schema is a {@code decimal}. */
    public static boolean isDecimal(Schema schema) {
        return schema.getLogicalType() instanceof LogicalTypes.Decimal;
    }

    /** A short description for messages, e.g. {@code long (timestamp-millis)}. */
    public static String describe(Schema schema) {
        switch (schema.getType()) {
            case UNION:
                StringBuilder sb = new StringBuilder("[");
                for (Schema branch : schema.getTypes()) {
                    if (sb.length() > 1) {
                        sb.append(", ");
                    }
                    sb.append(describe(branch));
                }
                return sb.append(']').toString();
            case RECORD:
                return "record " + schema.getName();
            case ARRAY:
                return "array<" + describe(schema.getElementType()) + ">";
            case MAP:
                return "map<string, " + describe(schema.getValueType()) + ">";
            case ENUM:
                return "enum " + schema.getName();
            case FIXED:
                if (isDecimal(schema)) {
                    return decimal(schema);
                }
                return "fixed(" + schema.getFixedSize() + ")";
            default:
                if (isDecimal(schema)) {
                    return decimal(schema);
                }
                String logical = logicalName(schema);
                String base = schema.getType().getName();
                return logical == null ? base : base + " (" + logical + ")";
        }
    }

    /**
     * {@code name} as a valid Avro name ({@code [A-Za-z_][A-Za-z0-9_]*}): other characters become
     * {@code _}, and a leading digit gets a {@code _} in front; as the CDC sources name fields.
     */
    public static String avroName(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 1);
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            boolean letter = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
            boolean digit = ch >= '0' && ch <= '9';
            if (i == 0 && digit) {
                sb.append('_').append(ch);
            } else {
                sb.append(letter || digit ? ch : '_');
            }
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    /** {@code namespace} with each dot-separated part made a valid Avro name. */
    public static String avroNamespace(String namespace) {
        StringBuilder sb = new StringBuilder();
        for (String part : namespace.split("\\.", -1)) {
            if (!part.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : ".").append(avroName(part));
            }
        }
        return sb.toString();
    }

    private static String decimal(Schema schema) {
        LogicalTypes.Decimal d = (LogicalTypes.Decimal) schema.getLogicalType();
        return "decimal(" + d.getPrecision() + ", " + d.getScale() + ")";
    }
}

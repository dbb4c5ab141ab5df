package dev.sluice.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Checks a candidate schema against a subject's previous schemas under a {@link
 * CompatibilityLevel}, using Avro's {@link SchemaCompatibility}.
 *
 * <p>Lives apart from the HTTP server so that the controller can run the same check in-process
 * (e.g. while validating a pipeline, before anything is registered). Messages follow Confluent's
 * verbose format ({@code {errorType:'...', description:'...', additionalInfo:'...'}}) and always
 * name the field a rule broke on.
 */
public final class CompatibilityChecker {

    private CompatibilityChecker() {}

    /**
     * Checks {@code candidate} against previous schemas listed oldest first (versions are numbered
     * 1, 2, ... in the messages).
     */
    public static CompatibilityResult check(
            CompatibilityLevel level, Schema candidate, List<Schema> previousOldestFirst) {
        NavigableMap<Integer, Schema> byVersion = new TreeMap<>();
        for (int i = 0; i < previousOldestFirst.size(); i++) {
            byVersion.put(i + 1, previousOldestFirst.get(i));
        }
        return check(level, candidate, byVersion);
    }

    /**
     * Checks {@code candidate} against a subject's live versions: against the latest only, or
     * against all of them for {@code _TRANSITIVE} levels. No previous versions, or {@link
     * CompatibilityLevel#NONE}, is always compatible.
     */
    public static CompatibilityResult check(
            CompatibilityLevel level,
            Schema candidate,
            NavigableMap<Integer, Schema> previousByVersion) {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(candidate, "candidate");
        if (level == CompatibilityLevel.NONE || previousByVersion.isEmpty()) {
            return CompatibilityResult.compatibleResult();
        }
        NavigableMap<Integer, Schema> against =
                level.isTransitive()
                        ? previousByVersion.descendingMap()
                        : previousByVersion.tailMap(previousByVersion.lastKey(), true);
        List<String> messages = new ArrayList<>();
        for (Map.Entry<Integer, Schema> previous : against.entrySet()) {
            List<String> pair = checkPair(level, candidate, previous.getValue());
            if (!pair.isEmpty()) {
                messages.addAll(pair);
                messages.add("{oldSchemaVersion: " + previous.getKey() + "}");
                messages.add("{compatibility: '" + level.name() + "'}");
            }
        }
        return messages.isEmpty()
                ? CompatibilityResult.compatibleResult()
                : CompatibilityResult.incompatible(messages);
    }

    /**
     * The rules {@code candidate} breaks against one {@code previous} schema in the direction(s) of
     * {@code level} (transitivity is the caller's business); empty when compatible.
     */
    public static List<String> checkPair(
            CompatibilityLevel level, Schema candidate, Schema previous) {
        List<String> messages = new ArrayList<>();
        if (level.checksBackward()) {
            describe(candidate, previous, "new", "old", messages);
        }
        if (level.checksForward()) {
            describe(previous, candidate, "old", "new", messages);
        }
        return messages;
    }

    private static void describe(
            Schema reader,
            Schema writer,
            String readerRole,
            String writerRole,
            List<String> messages) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            messages.add(describe(incompatibility, reader, readerRole, writerRole));
        }
    }

    private static String describe(
            Incompatibility incompatibility, Schema reader, String readerRole, String writerRole) {
        String location = incompatibility.getLocation();
        String field = fieldPath(reader, location);
        String at =
                field.isEmpty()
                        ? "at path '" + location + "'"
                        : "of field '" + field + "' (path '" + location + "')";
        String avroMessage = incompatibility.getMessage();
        String description;
        switch (incompatibility.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE:
                description =
                        String.format(
                                "The field '%s' at path '%s' in the %s schema has no default value"
                                        + " and is missing in the %s schema",
                                field.isEmpty() ? avroMessage : field,
                                location,
                                readerRole,
                                writerRole);
                break;
            case TYPE_MISMATCH:
                description =
                        String.format(
                                "The type %s in the %s schema does not match the %s schema (%s)",
                                at, readerRole, writerRole, avroMessage);
                break;
            case NAME_MISMATCH:
                description =
                        String.format(
                                "The name of the type %s in the %s schema does not match the %s"
                                        + " schema (%s)",
                                at, readerRole, writerRole, avroMessage);
                break;
            case FIXED_SIZE_MISMATCH:
                description =
                        String.format(
                                "The size of the fixed type %s in the %s schema does not match the"
                                        + " %s schema (%s)",
                                at, readerRole, writerRole, avroMessage);
                break;
            case MISSING_ENUM_SYMBOLS:
                description =
                        String.format(
                                "The enum %s in the %s schema lacks symbols %s of the %s schema and"
                                        + " has no default",
                                at, readerRole, avroMessage, writerRole);
                break;
            case MISSING_UNION_BRANCH:
                description =
                        String.format(
                                "The union %s in the %s schema lacks a branch of the %s schema (%s)",
                                at, readerRole, writerRole, avroMessage);
                break;
            default:
                description =
                        String.format(
                                "%s %s in the %s schema: %s",
                                incompatibility.getType(), at, readerRole, avroMessage);
        }
        return "{errorType:'"
                + incompatibility.getType()
                + "', description:'"
                + description
                + "', additionalInfo:'"
                + (field.isEmpty() ? avroMessage : field)
                + "'}";
    }

    /**
     * Resolves an Avro incompatibility location such as {@code /fields/2/type/fields/0/type} to the
     * dotted field path ({@code address.street}) in the reader schema; empty when the location
     * names no field.
     */
    static String fieldPath(Schema reader, String location) {
        if (location == null || location.isEmpty()) {
            return "";
        }
        String[] tokens = location.split("/");
        List<String> names = new ArrayList<>();
        Schema current = reader;
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (token.isEmpty() || token.equals("type")) {
                continue;
            }
            if (token.equals("fields") && i + 1 < tokens.length) {
                Schema record = singleBranch(current, Schema.Type.RECORD);
                int index = parseIndex(tokens[i + 1]);
                if (record == null || index < 0 || index >= record.getFields().size()) {
                    break;
                }
                Schema.Field field = record.getFields().get(index);
                names.add(field.name());
                current = field.schema();
                i++;
            } else if (token.equals("items")) {
                Schema array = singleBranch(current, Schema.Type.ARRAY);
                if (array == null) {
                    break;
                }
                current = array.getElementType();
            } else if (token.equals("values")) {
                Schema map = singleBranch(current, Schema.Type.MAP);
                if (map == null) {
                    break;
                }
                current = map.getValueType();
            } else if (current.getType() == Schema.Type.UNION && parseIndex(token) >= 0) {
                int index = parseIndex(token);
                if (index >= current.getTypes().size()) {
                    break;
                }
                current = current.getTypes().get(index);
            } else {
                break;
            }
        }
        return String.join(".", names);
    }

    /** The schema itself if of {@code type}, or its only branch of that type if a union. */
    private static Schema singleBranch(Schema schema, Schema.Type type) {
        if (schema.getType() == type) {
            return schema;
        }
        if (schema.getType() == Schema.Type.UNION) {
            Schema found = null;
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() == type) {
                    if (found != null) {
                        return null;
                    }
                    found = branch;
                }
            }
            return found;
        }
        return null;
    }

    private static int parseIndex(String token) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

package dev.sluice.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * Small Avro helpers every Sluice module needs.
 *
 * <p>Exists because Avro's own parser throws several unrelated exception types (and messages that
 * quote Jackson internals), and because nullable fields are unions {@code ["null", T]} that every
 * processor otherwise unwraps by hand.
 */
public final class AvroSchemas {

    private AvroSchemas() {}

    /**
     * Parses an Avro schema from its JSON text with a fresh parser (no named types leak between
     * calls).
     *
     * @throws IllegalArgumentException if the text is null, blank or not a valid Avro schema; the
     *     message says what is wrong
     */
    public static Schema parse(String schemaJson) {
        if (schemaJson == null || schemaJson.isBlank()) {
            throw new IllegalArgumentException(
                    "invalid Avro schema: the schema text is empty; expected Avro JSON such as"
                            + " {\"type\": \"record\", \"name\": \"R\", \"fields\": [...]}");
        }
        try {
            return new Schema.Parser().parse(schemaJson);
        } catch (AvroRuntimeException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("invalid Avro schema: " + readable(e), e);
        }
    }

    /**
     * Returns the non-null part of a nullable schema: {@code T} for {@code ["null", T]}, the union
     * of the remaining branches for a union with several non-null branches, and the schema itself
     * otherwise.
     */
    public static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> branches = new ArrayList<>();
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                branches.add(branch);
            }
        }
        if (branches.size() == schema.getTypes().size()) {
            return schema;
        }
        if (branches.isEmpty()) {
            return Schema.create(Schema.Type.NULL);
        }
        return branches.size() == 1 ? branches.get(0) : Schema.createUnion(branches);
    }

    /** True for the {@code null} type and for unions that have a {@code null} branch. */
    public static boolean isNullable(Schema schema) {
        if (schema.getType() == Schema.Type.NULL) {
            return true;
        }
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() == Schema.Type.NULL) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String readable(Throwable e) {
        // Avro wraps Jackson's parse errors; the innermost message is the useful one, minus the
        // "[Source: REDACTED ...]" noise Jackson adds.
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.toString();
        return message.replaceAll("\\[Source: [^;\\]]*; (line: \\d+, column: \\d+)]", "$1")
                .replaceAll("\\s+", " ")
                .trim();
    }
}

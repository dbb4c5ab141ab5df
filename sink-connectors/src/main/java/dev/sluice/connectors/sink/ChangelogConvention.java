package dev.sluice.connectors.sink;

import dev.sluice.sdk.SluiceRecord;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Sluice's changelog convention, in one place so that every table sink reads it the same way: a
 * value whose string field {@code __op} is {@code "d"} deletes its key and carries the last row
 * image; {@code r}, {@code c} and {@code u} upsert; a record without a value (a tombstone) deletes
 * by key, unless the stream's values have {@code __op}, in which case the tombstone only follows a
 * {@code d} record and is skipped. Fields whose names start with {@code __} are metadata.
 */
public final class ChangelogConvention {

    /** The operation field of CDC values. */
    public static final String OP_FIELD = "__op";

    /** The commit-time field of CDC values, worth keeping in a lake table. */
    public static final String TS_FIELD = "__ts_ms";

    private ChangelogConvention() {}

    /** Whether values of this schema carry {@code __op}. */
    public static boolean hasOpField(Schema valueSchema) {
        return valueSchema.getField(OP_FIELD) != null;
    }

    /** Whether a field is Sluice metadata ({@code __op}, {@code __ts_ms}, ...), not row data. */
    public static boolean isMetadata(String fieldName) {
        return fieldName.startsWith("__");
    }

    /** What {@code record} asks of the table. */
    public static Change classify(SluiceRecord record, boolean valuesHaveOp) {
        GenericRecord value = record.value();
        if (value == null) {
            return valuesHaveOp ? Change.SKIP : Change.DELETE_BY_KEY;
        }
        return isDelete(value) ? Change.DELETE : Change.UPSERT;
    }

    /** Whether a value is a delete ({@code __op = "d"}). */
    public static boolean isDelete(GenericRecord value) {
        return "d".equals(op(value));
    }

    /** The value's {@code __op} as a string, or {@code null} when it has none. */
    public static String op(GenericRecord value) {
        if (value.getSchema().getField(OP_FIELD) == null) {
            return null;
        }
        Object op = value.get(OP_FIELD);
        return op == null ? null : op.toString();
    }
}

package dev.sluice.connectors.cdc.internal;

import dev.sluice.connectors.cdc.schema.TableSchemaDerivation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.annotation.Internal;

/**
 * A record of one schema version of a captured table as a record of another (the planned one), by
 * field name.
 *
 * <p>Exists because the operators after a capture were built for the schema the pipeline was
 * planned with, while the capture writes each table's newest version once its columns change. A
 * field the record lacks becomes {@code null} when the target allows it (or its default); a field
 * the target lacks is left out; a value of a wider type is narrowed when it fits ({@code long} into
 * {@code int}, a decimal rescaled without loss). What cannot be represented fails with {@link
 * IllegalArgumentException} naming the column, and the caller dead-letters the record. Immutable;
 * build once per pair of schemas.
 */
@Internal
final class RecordProjection {
    private final Schema target;
    private final boolean identity;
    private final int[] sourcePositions;
    private final Schema[] sourceTypes;
    private final RecordProjection[] nested;

    private RecordProjection(Schema source, Schema target) {
        this.target = target;
        this.identity = source.equals(target);
        List<Schema.Field> fields = target.getFields();
        this.sourcePositions = new int[fields.size()];
        this.sourceTypes = new Schema[fields.size()];
        this.nested = new RecordProjection[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            Schema.Field t = fields.get(i);
            Schema.Field s = source.getField(t.name());
            sourcePositions[i] = s == null ? -1 : s.pos();
            sourceTypes[i] = s == null ? null : nonNull(s.schema());
            Schema tt = nonNull(t.schema());
            if (s != null
                    && tt.getType() == Schema.Type.RECORD
                    && sourceTypes[i].getType() == Schema.Type.RECORD) {
                nested[i] = new RecordProjection(sourceTypes[i], tt);
            }
        }
    }

    /** Projects records of {@code source} onto {@code target} (both records). */
    static RecordProjection of(Schema source, Schema target) {
        return new RecordProjection(source, target);
    }

    /** Whether the schemas are equal, so records pass unchanged. */
    boolean isIdentity() {
        return identity;
    }

    /**
     * {@code record} as a record of the target schema.
     *
     * @throws IllegalArgumentException naming the column when a value cannot be represented
     */
    GenericRecord project(GenericRecord record) {
        if (identity) {
            return record;
        }
        List<Schema.Field> fields = target.getFields();
        GenericRecord out = new GenericData.Record(target);
        for (int i = 0; i < fields.size(); i++) {
            Schema.Field field = fields.get(i);
            int pos = sourcePositions[i];
            if (pos < 0) {
                out.put(i, missing(field));
                continue;
            }
            Object value = record.get(pos);
            if (value == null) {
                if (!isNullable(field.schema())) {
                    throw new IllegalArgumentException(
                            "column '"
                                    + TableSchemaDerivation.columnOf(field)
                                    + "' is null, but the schema the pipeline was planned with has"
                                    + " it as non-null; apply the pipeline again to plan it with"
                                    + " the table's new columns");
                }
                out.put(i, null);
                continue;
            }
            if (nested[i] != null) {
                out.put(i, nested[i].project((GenericRecord) value));
                continue;
            }
            try {
                out.put(i, convert(value, sourceTypes[i], nonNull(field.schema())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "column '"
                                + TableSchemaDerivation.columnOf(field)
                                + "': "
                                + e.getMessage()
                                + "; apply the pipeline again to plan it with the table's new"
                                + " columns",
                        e);
            }
        }
        return out;
    }

    private static Object missing(Schema.Field field) {
        if (isNullable(field.schema())) {
            return null;
        }
        if (field.hasDefaultValue()) {
            return GenericData.get()
                    .deepCopy(field.schema(), GenericData.get().getDefaultValue(field));
        }
        throw new IllegalArgumentException(
                "column '"
                        + TableSchemaDerivation.columnOf(field)
                        + "' is missing from the change (the table no longer has it), but the"
                        + " schema the pipeline was planned with has it as non-null; apply the"
                        + " pipeline again to plan it with the table's new columns");
    }

    /** {@code value} (of Avro type {@code from}) as a value of {@code to}. */
    static Object convert(Object value, Schema from, Schema to) {
        if (from.equals(to)) {
            return value;
        }
        LogicalType fl = from.getLogicalType();
        LogicalType tl = to.getLogicalType();
        if (tl instanceof LogicalTypes.Decimal) {
            if (!(fl instanceof LogicalTypes.Decimal)) {
                throw cannot(from, to);
            }
            return decimal(value, (LogicalTypes.Decimal) fl, (LogicalTypes.Decimal) tl);
        }
        if (!java.util.Objects.equals(
                fl == null ? null : fl.getName(), tl == null ? null : tl.getName())) {
            throw cannot(from, to);
        }
        switch (to.getType()) {
            case INT:
                if (value instanceof Integer) {
                    return value;
                }
                if (value instanceof Long) {
                    long v = (Long) value;
                    if (v != (int) v) {
                        throw new IllegalArgumentException(
                                v + " does not fit the planned type int");
                    }
                    return (int) v;
                }
                break;
            case LONG:
                if (value instanceof Integer || value instanceof Long) {
                    return ((Number) value).longValue();
                }
                break;
            case FLOAT:
                if (value instanceof Float) {
                    return value;
                }
                if (value instanceof Number) {
                    double d = ((Number) value).doubleValue();
                    if ((double) (float) d != d && !Double.isNaN(d)) {
                        throw new IllegalArgumentException(
                                value + " does not fit the planned type float");
                    }
                    return (float) d;
                }
                break;
            case DOUBLE:
                if (value instanceof Number) {
                    return ((Number) value).doubleValue();
                }
                break;
            case STRING:
                if (value instanceof CharSequence) {
                    return value;
                }
                if (value instanceof Number || value instanceof Boolean) {
                    return value.toString();
                }
                break;
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                break;
            case BYTES:
                if (value instanceof ByteBuffer) {
                    return value;
                }
                break;
            case ARRAY:
                if (value instanceof List && from.getType() == Schema.Type.ARRAY) {
                    Schema fromElement = nonNull(from.getElementType());
                    Schema toElement = to.getElementType();
                    List<Object> out = new ArrayList<>();
                    for (Object item : (List<?>) value) {
                        if (item == null && !isNullable(toElement)) {
                            throw new IllegalArgumentException(
                                    "an array element is null; the planned elements are"
                                            + " non-null");
                        }
                        out.add(
                                item == null
                                        ? null
                                        : convert(item, fromElement, nonNull(toElement)));
                    }
                    return out;
                }
                break;
            default:
                if (from.getType() == to.getType()) {
                    return value;
                }
                break;
        }
        throw cannot(from, to);
    }

    private static ByteBuffer decimal(
            Object value, LogicalTypes.Decimal from, LogicalTypes.Decimal to) {
        ByteBuffer b = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        BigDecimal d = new BigDecimal(new BigInteger(bytes), from.getScale());
        BigDecimal scaled;
        try {
            scaled = d.setScale(to.getScale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    d.toPlainString() + " has more than " + to.getScale() + " decimal places");
        }
        if (scaled.precision() > to.getPrecision()) {
            throw new IllegalArgumentException(
                    d.toPlainString()
                            + " does not fit the planned type decimal("
                            + to.getPrecision()
                            + ", "
                            + to.getScale()
                            + ")");
        }
        return ByteBuffer.wrap(scaled.unscaledValue().toByteArray());
    }

    private static IllegalArgumentException cannot(Schema from, Schema to) {
        return new IllegalArgumentException(
                "its type is now "
                        + SchemaEvolution.describe(from)
                        + ", which the planned type "
                        + SchemaEvolution.describe(to)
                        + " cannot hold");
    }

    private static boolean isNullable(Schema schema) {
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

    private static Schema nonNull(Schema schema) {
        return schema.getType() == Schema.Type.UNION ? ConnectValues.nonNull(schema) : schema;
    }
}

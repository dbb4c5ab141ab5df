package dev.sluice.processors.expression;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;

/**
 * The mapping between Avro schemas and {@link SqlType}s, in both directions, and the conversions of
 * DECIMAL values between Avro's generic representation and {@link BigDecimal}.
 *
 * <p>Input: {@code string} and {@code enum} are STRING; {@code int} (also {@code date}, {@code
 * time-millis}) is INT; {@code long} (also the timestamp logical types) is BIGINT; {@code float},
 * {@code double}, {@code boolean} map to themselves; {@code bytes}/{@code fixed} with the {@code
 * decimal} logical type are DECIMAL(p, s); a union of {@code null} and one type is that type,
 * nullable. Anything else (bytes, fixed, records, arrays, maps, unions of several types) is OTHER.
 */
final class AvroTypes {

    private AvroTypes() {}

    /** The SQL type of values of an Avro schema. */
    static SqlType sqlType(Schema schema) {
        boolean nullable = false;
        Schema single = schema;
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> nonNull = new ArrayList<>();
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() == Schema.Type.NULL) {
                    nullable = true;
                } else {
                    nonNull.add(branch);
                }
            }
            if (nonNull.isEmpty()) {
                return SqlType.NULL;
            }
            if (nonNull.size() > 1) {
                return SqlType.other(schema, nullable);
            }
            single = nonNull.get(0);
        }
        switch (single.getType()) {
            case NULL:
                return SqlType.NULL;
            case BOOLEAN:
                return SqlType.of(SqlType.Kind.BOOLEAN, nullable);
            case INT:
                return SqlType.of(SqlType.Kind.INT, nullable);
            case LONG:
                return SqlType.of(SqlType.Kind.BIGINT, nullable);
            case FLOAT:
                return SqlType.of(SqlType.Kind.FLOAT, nullable);
            case DOUBLE:
                return SqlType.of(SqlType.Kind.DOUBLE, nullable);
            case STRING:
            case ENUM:
                return SqlType.of(SqlType.Kind.STRING, nullable);
            case BYTES:
            case FIXED:
                LogicalType logical = single.getLogicalType();
                if (logical instanceof LogicalTypes.Decimal) {
                    LogicalTypes.Decimal decimal = (LogicalTypes.Decimal) logical;
                    return SqlType.decimal(decimal.getPrecision(), decimal.getScale(), nullable);
                }
                return SqlType.other(single, nullable);
            default:
                return SqlType.other(single, nullable);
        }
    }

    /** The single record schema of a (possibly nullable) record schema, or {@code null}. */
    static Schema recordOf(Schema schema) {
        if (schema.getType() == Schema.Type.RECORD) {
            return schema;
        }
        if (schema.getType() == Schema.Type.UNION) {
            Schema record = null;
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() == Schema.Type.RECORD && record == null) {
                    record = branch;
                } else if (branch.getType() != Schema.Type.NULL) {
                    return null;
                }
            }
            return record;
        }
        return null;
    }

    static boolean isNullable(Schema schema) {
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

    /** {@code schema} if it admits null, else a union of null and it (null first). */
    static Schema nullable(Schema schema) {
        if (isNullable(schema)) {
            return schema;
        }
        List<Schema> branches = new ArrayList<>();
        branches.add(Schema.create(Schema.Type.NULL));
        if (schema.getType() == Schema.Type.UNION) {
            branches.addAll(schema.getTypes());
        } else {
            branches.add(schema);
        }
        return Schema.createUnion(branches);
    }

    /** The Avro schema of values of a computed (not passed-through) SQL type. */
    static Schema avroSchema(SqlType type) {
        Schema base;
        switch (type.kind()) {
            case NULL:
                return Schema.create(Schema.Type.NULL);
            case BOOLEAN:
                base = Schema.create(Schema.Type.BOOLEAN);
                break;
            case INT:
                base = Schema.create(Schema.Type.INT);
                break;
            case BIGINT:
                base = Schema.create(Schema.Type.LONG);
                break;
            case FLOAT:
                base = Schema.create(Schema.Type.FLOAT);
                break;
            case DOUBLE:
                base = Schema.create(Schema.Type.DOUBLE);
                break;
            case STRING:
                base = Schema.create(Schema.Type.STRING);
                break;
            case DECIMAL:
                base =
                        LogicalTypes.decimal(type.precision(), type.scale())
                                .addToSchema(Schema.create(Schema.Type.BYTES));
                break;
            case OTHER:
                base = type.other();
                break;
            default:
                throw new IllegalStateException("unexpected type " + type);
        }
        return type.nullable() ? nullable(base) : base;
    }

    /** A DECIMAL value from its Avro representation (bytes or fixed; BigDecimal accepted too). */
    static BigDecimal toBigDecimal(Object avroValue, int scale) {
        if (avroValue instanceof ByteBuffer) {
            ByteBuffer buffer = ((ByteBuffer) avroValue).duplicate();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return new BigDecimal(new BigInteger(bytes), scale);
        }
        if (avroValue instanceof GenericFixed) {
            return new BigDecimal(new BigInteger(((GenericFixed) avroValue).bytes()), scale);
        }
        if (avroValue instanceof BigDecimal) {
            return (BigDecimal) avroValue;
        }
        throw new ClassCastException(
                "expected a decimal as bytes, got " + avroValue.getClass().getName());
    }

    /** The Avro {@code bytes} representation of a DECIMAL value (its scale is the type's). */
    static ByteBuffer toBytes(BigDecimal value) {
        return ByteBuffer.wrap(value.unscaledValue().toByteArray());
    }
}

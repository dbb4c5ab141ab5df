package dev.sluice.processors.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimeType;
import org.apache.flink.table.types.logical.TimestampType;

/**
 * The mapping between Avro schemas (what flows on Sluice's topics) and Flink SQL types (what a
 * query sees), in both directions.
 *
 * <p>Avro to Flink, for the inputs' fields: {@code ["null", T]} is a nullable {@code T}, anything
 * else is {@code NOT NULL}; string, enum and uuid are {@code STRING}; int, long, float, double,
 * boolean map to {@code INT}, {@code BIGINT}, {@code FLOAT}, {@code DOUBLE}, {@code BOOLEAN}; bytes
 * and fixed are {@code BYTES}; decimal (on bytes or fixed) is {@code DECIMAL(p, s)}; date is {@code
 * DATE}; time-millis/-micros are {@code TIME(3)}/{@code TIME(6)}; timestamp-millis/-micros and
 * local-timestamp-millis/-micros are {@code TIMESTAMP(3)}/{@code TIMESTAMP(6)} (wall-clock time in
 * UTC); arrays are {@code ARRAY}, maps {@code MAP<STRING, V>}, records {@code ROW}. A union of
 * several non-null types, a bare null, a recursive record or a decimal wider than 38 digits has no
 * Flink type: such a field is left out of its table (a query that names it is told why).
 *
 * <p>Flink to Avro, for the output's columns: the reverse, with {@code TINYINT}/{@code SMALLINT} as
 * int, {@code CHAR}/{@code VARCHAR} as string, {@code BINARY}/{@code VARBINARY} as bytes, {@code
 * TIMESTAMP_LTZ(p)} like {@code TIMESTAMP(p)} (p &gt; 3 as micros), and a nullable type as {@code
 * ["null", T]} with default null. Types Avro cannot hold (intervals, multisets, maps with
 * non-string keys, raw and structured types, the NULL type) are refused with a hint to CAST.
 */
final class AvroFlinkTypes {

    private static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private AvroFlinkTypes() {}

    /** A type one side cannot express; the message says what and why. */
    static final class UnsupportedTypeException extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedTypeException(String message) {
            super(message);
        }
    }

    /** Whether {@code name} is a valid Avro field or record name. */
    static boolean isAvroName(String name) {
        return AVRO_NAME.matcher(name).matches();
    }

    // ------------------------------------------------------------------ Avro -> Flink

    /** The Flink type of an Avro schema, nullability included. */
    static DataType toDataType(Schema schema) throws UnsupportedTypeException {
        return toDataType(schema, new HashSet<>());
    }

    private static DataType toDataType(Schema schema, Set<String> enclosing)
            throws UnsupportedTypeException {
        if (schema.getType() == Schema.Type.UNION) {
            Schema single = null;
            boolean nullable = false;
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() == Schema.Type.NULL) {
                    nullable = true;
                } else if (single == null) {
                    single = branch;
                } else {
                    throw new UnsupportedTypeException(
                            "a union of several types (" + describe(schema) + ")");
                }
            }
            if (single == null) {
                throw new UnsupportedTypeException("the null type");
            }
            DataType type = nonNullDataType(single, enclosing);
            return nullable ? type.nullable() : type;
        }
        return nonNullDataType(schema, enclosing);
    }

    private static DataType nonNullDataType(Schema schema, Set<String> enclosing)
            throws UnsupportedTypeException {
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case STRING:
            case ENUM:
                return DataTypes.STRING().notNull();
            case BOOLEAN:
                return DataTypes.BOOLEAN().notNull();
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return DataTypes.DATE().notNull();
                }
                if (logical instanceof LogicalTypes.TimeMillis) {
                    return DataTypes.TIME(3).notNull();
                }
                return DataTypes.INT().notNull();
            case LONG:
                if (logical instanceof LogicalTypes.TimeMicros) {
                    return DataTypes.TIME(6).notNull();
                }
                if (logical instanceof LogicalTypes.TimestampMillis
                        || logical instanceof LogicalTypes.LocalTimestampMillis) {
                    return DataTypes.TIMESTAMP(3).notNull();
                }
                if (logical instanceof LogicalTypes.TimestampMicros
                        || logical instanceof LogicalTypes.LocalTimestampMicros) {
                    return DataTypes.TIMESTAMP(6).notNull();
                }
                return DataTypes.BIGINT().notNull();
            case FLOAT:
                return DataTypes.FLOAT().notNull();
            case DOUBLE:
                return DataTypes.DOUBLE().notNull();
            case BYTES:
            case FIXED:
                if (logical instanceof LogicalTypes.Decimal) {
                    LogicalTypes.Decimal decimal = (LogicalTypes.Decimal) logical;
                    if (decimal.getPrecision() > DecimalType.MAX_PRECISION) {
                        throw new UnsupportedTypeException(
                                "a decimal of "
                                        + decimal.getPrecision()
                                        + " digits (Flink SQL holds at most "
                                        + DecimalType.MAX_PRECISION
                                        + ")");
                    }
                    return DataTypes.DECIMAL(decimal.getPrecision(), decimal.getScale()).notNull();
                }
                return DataTypes.BYTES().notNull();
            case ARRAY:
                return DataTypes.ARRAY(toDataType(schema.getElementType(), enclosing)).notNull();
            case MAP:
                return DataTypes.MAP(
                                DataTypes.STRING().notNull(),
                                toDataType(schema.getValueType(), enclosing))
                        .notNull();
            case RECORD:
                {
                    if (!enclosing.add(schema.getFullName())) {
                        throw new UnsupportedTypeException(
                                "the recursive record " + schema.getFullName());
                    }
                    List<DataTypes.Field> fields = new ArrayList<>();
                    for (Schema.Field f : schema.getFields()) {
                        fields.add(DataTypes.FIELD(f.name(), toDataType(f.schema(), enclosing)));
                    }
                    enclosing.remove(schema.getFullName());
                    if (fields.isEmpty()) {
                        throw new UnsupportedTypeException(
                                "the record " + schema.getFullName() + " without fields");
                    }
                    return DataTypes.ROW(fields).notNull();
                }
            default:
                throw new UnsupportedTypeException("the " + schema.getType().getName() + " type");
        }
    }

    // ------------------------------------------------------------------ Flink -> Avro

    /**
     * The Avro schema of a Flink type: a nullable type as {@code ["null", T]}. Records of nested
     * rows are named {@code <recordName>_<field>}.
     */
    static Schema toAvro(org.apache.flink.table.types.logical.LogicalType type, String recordName)
            throws UnsupportedTypeException {
        Schema base = nonNullAvro(type, recordName);
        return type.isNullable() ? Schema.createUnion(Schema.create(Schema.Type.NULL), base) : base;
    }

    /** An Avro record of Flink columns; nullable fields default to null. */
    static Schema record(String name, List<String> names, List<DataType> types)
            throws UnsupportedTypeException {
        List<Schema.Field> fields = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            org.apache.flink.table.types.logical.LogicalType t = types.get(i).getLogicalType();
            Schema fieldSchema;
            try {
                fieldSchema = toAvro(t, name + "_" + names.get(i));
            } catch (UnsupportedTypeException e) {
                throw new UnsupportedTypeException(
                        "column '" + names.get(i) + "' has type " + t + ": " + e.getMessage());
            }
            fields.add(
                    new Schema.Field(
                            names.get(i),
                            fieldSchema,
                            null,
                            t.isNullable() ? JsonProperties.NULL_VALUE : null));
        }
        return Schema.createRecord(name, null, null, false, fields);
    }

    private static Schema nonNullAvro(
            org.apache.flink.table.types.logical.LogicalType type, String recordName)
            throws UnsupportedTypeException {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return Schema.create(Schema.Type.STRING);
            case BOOLEAN:
                return Schema.create(Schema.Type.BOOLEAN);
            case TINYINT:
            case SMALLINT:
            case INTEGER:
                return Schema.create(Schema.Type.INT);
            case BIGINT:
                return Schema.create(Schema.Type.LONG);
            case FLOAT:
                return Schema.create(Schema.Type.FLOAT);
            case DOUBLE:
                return Schema.create(Schema.Type.DOUBLE);
            case DECIMAL:
                {
                    DecimalType decimal = (DecimalType) type;
                    return LogicalTypes.decimal(decimal.getPrecision(), decimal.getScale())
                            .addToSchema(Schema.create(Schema.Type.BYTES));
                }
            case DATE:
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case TIME_WITHOUT_TIME_ZONE:
                return ((TimeType) type).getPrecision() <= 3
                        ? LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT))
                        : LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return timestamp(((TimestampType) type).getPrecision());
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return timestamp(((LocalZonedTimestampType) type).getPrecision());
            case BINARY:
            case VARBINARY:
                return Schema.create(Schema.Type.BYTES);
            case ARRAY:
                return Schema.createArray(
                        toAvro(((ArrayType) type).getElementType(), recordName + "_item"));
            case MAP:
                {
                    MapType map = (MapType) type;
                    switch (map.getKeyType().getTypeRoot()) {
                        case CHAR:
                        case VARCHAR:
                            return Schema.createMap(
                                    toAvro(map.getValueType(), recordName + "_value"));
                        default:
                            throw new UnsupportedTypeException(
                                    "Avro maps have string keys; CAST the keys to STRING");
                    }
                }
            case ROW:
                {
                    RowType row = (RowType) type;
                    List<Schema.Field> fields = new ArrayList<>();
                    for (RowType.RowField f : row.getFields()) {
                        if (!isAvroName(f.getName())) {
                            throw new UnsupportedTypeException(
                                    "its field '"
                                            + f.getName()
                                            + "' is not a valid Avro name (letters, digits and"
                                            + " '_', not starting with a digit)");
                        }
                        Schema s = toAvro(f.getType(), recordName + "_" + f.getName());
                        fields.add(
                                new Schema.Field(
                                        f.getName(),
                                        s,
                                        null,
                                        f.getType().isNullable()
                                                ? JsonProperties.NULL_VALUE
                                                : null));
                    }
                    return Schema.createRecord(recordName, null, null, false, fields);
                }
            case NULL:
                throw new UnsupportedTypeException(
                        "an untyped NULL; CAST it to the type it stands for");
            default:
                throw new UnsupportedTypeException(
                        "Avro cannot hold "
                                + type.getTypeRoot()
                                + " values; CAST it to a string, number or timestamp");
        }
    }

    private static Schema timestamp(int precision) {
        return precision <= 3
                ? LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))
                : LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    }

    /** A type as messages name it. */
    static String describe(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            List<String> parts = new ArrayList<>();
            s.getTypes().forEach(t -> parts.add(describe(t)));
            return String.join(", ", parts);
        }
        if (s.getLogicalType() != null) {
            return s.getLogicalType().getName();
        }
        switch (s.getType()) {
            case RECORD:
            case ENUM:
            case FIXED:
                return s.getFullName();
            default:
                return s.getType().getName();
        }
    }
}

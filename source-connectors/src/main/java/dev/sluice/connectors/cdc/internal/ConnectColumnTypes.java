package dev.sluice.connectors.cdc.internal;

import dev.sluice.connectors.cdc.schema.ColumnDefinition;
import dev.sluice.connectors.cdc.schema.SqlDialect;
import dev.sluice.connectors.cdc.schema.TableSchemaDerivation;
import dev.sluice.connectors.cdc.schema.UnsupportedColumnTypeException;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.flink.annotation.Internal;
import org.apache.kafka.connect.data.Field;

/**
 * The Avro type of a column as a running capture sees it: from the Connect schema Debezium gives
 * the column in a change event, not from the catalog.
 *
 * <p>Exists so that a table whose columns change while it is captured gets the same Avro types a
 * new plan would derive from the catalog: the capture asks Debezium to pass each column's database
 * type along ({@code column.propagate.source.type}), rebuilds a {@link ColumnDefinition} from it
 * and maps it with {@link TableSchemaDerivation#columnType}. Only when that type is missing or has
 * no mapping does the Connect type itself decide (Debezium's semantic types: dates, times,
 * decimals, ...).
 */
@Internal
final class ConnectColumnTypes {
    static final String SOURCE_TYPE = "__debezium.source.column.type";
    static final String SOURCE_LENGTH = "__debezium.source.column.length";
    static final String SOURCE_SCALE = "__debezium.source.column.scale";

    private static final String DECIMAL = "org.apache.kafka.connect.data.Decimal";
    private static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";
    private static final String ENUM = "io.debezium.data.Enum";

    private ConnectColumnTypes() {}

    /**
     * The Avro type of the column's non-null values.
     *
     * @throws IllegalArgumentException naming the column when its type has no Avro mapping
     */
    static Schema avroType(SqlDialect dialect, Field column) {
        org.apache.kafka.connect.data.Schema schema = column.schema();
        Map<String, String> params = schema.parameters();
        String sourceType = params == null ? null : params.get(SOURCE_TYPE);
        if (sourceType != null) {
            ColumnDefinition definition = definition(dialect, column.name(), sourceType, schema);
            if (definition != null) {
                try {
                    return TableSchemaDerivation.columnType(dialect, definition);
                } catch (UnsupportedColumnTypeException e) {
                    // decided by the Connect type below
                }
            }
        }
        Schema type = fromConnect(schema);
        if (type == null) {
            throw new IllegalArgumentException(
                    "column '"
                            + column.name()
                            + "' has type "
                            + (sourceType != null ? "'" + sourceType + "'" : schema.type())
                            + ", which change capture does not support; supported: "
                            + TableSchemaDerivation.supportedTypes(dialect));
        }
        return type;
    }

    /** The catalog view of a column rebuilt from Debezium's source type parameters. */
    static ColumnDefinition definition(
            SqlDialect dialect,
            String name,
            String sourceType,
            org.apache.kafka.connect.data.Schema schema) {
        Map<String, String> params = schema.parameters();
        String type = sourceType.trim().toLowerCase(Locale.ROOT);
        boolean unsigned = false;
        if (dialect == SqlDialect.MYSQL) {
            unsigned = type.contains("unsigned");
            type = type.split("[\\s(]", 2)[0];
            switch (type) {
                case "integer":
                    type = "int";
                    break;
                case "bool":
                case "boolean":
                    type = "tinyint";
                    break;
                case "dec":
                    type = "decimal";
                    break;
                default:
                    break;
            }
        }
        Integer length = integer(params.get(SOURCE_LENGTH));
        Integer scale = integer(params.get(SOURCE_SCALE));
        boolean decimal = type.equals("numeric") || type.equals("decimal") || type.equals("fixed");
        Integer precision = null;
        if (decimal && !VARIABLE_SCALE_DECIMAL.equals(schema.name())) {
            String connectPrecision = params.get("connect.decimal.precision");
            precision = connectPrecision != null ? integer(connectPrecision) : length;
            if (params.get("scale") != null) {
                scale = integer(params.get("scale"));
            }
        }
        try {
            return ColumnDefinition.builder(name, type)
                    .nullable(schema.isOptional())
                    .precision(precision != null && precision > 0 ? precision : null)
                    .scale(decimal ? scale : null)
                    .length(length != null && length > 0 ? length : null)
                    .unsigned(unsigned)
                    .enumType(ENUM.equals(schema.name()))
                    .build();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Integer integer(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The Avro type of a Connect schema, by its semantic name and type; {@code null} if none. */
    static Schema fromConnect(org.apache.kafka.connect.data.Schema schema) {
        String semantic = schema.name();
        if (semantic != null) {
            switch (semantic) {
                case "io.debezium.time.Date":
                    return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
                case "io.debezium.time.Time":
                case "io.debezium.time.MicroTime":
                case "io.debezium.time.NanoTime":
                    return LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
                case "io.debezium.time.Timestamp":
                case "io.debezium.time.MicroTimestamp":
                case "io.debezium.time.NanoTimestamp":
                    return LogicalTypes.localTimestampMicros()
                            .addToSchema(Schema.create(Schema.Type.LONG));
                case "io.debezium.time.ZonedTimestamp":
                    return LogicalTypes.timestampMicros()
                            .addToSchema(Schema.create(Schema.Type.LONG));
                case VARIABLE_SCALE_DECIMAL:
                    return Schema.create(Schema.Type.STRING);
                case DECIMAL:
                    {
                        Map<String, String> p = schema.parameters();
                        Integer scale = p == null ? null : integer(p.get("scale"));
                        Integer precision =
                                p == null ? null : integer(p.get("connect.decimal.precision"));
                        if (scale == null || precision == null || precision < 1) {
                            return null;
                        }
                        return LogicalTypes.decimal(precision, scale)
                                .addToSchema(Schema.create(Schema.Type.BYTES));
                    }
                default:
                    break;
            }
        }
        switch (schema.type()) {
            case INT8:
            case INT16:
            case INT32:
                return Schema.create(Schema.Type.INT);
            case INT64:
                return Schema.create(Schema.Type.LONG);
            case FLOAT32:
                return Schema.create(Schema.Type.FLOAT);
            case FLOAT64:
                return Schema.create(Schema.Type.DOUBLE);
            case BOOLEAN:
                return Schema.create(Schema.Type.BOOLEAN);
            case STRING:
                return Schema.create(Schema.Type.STRING);
            case BYTES:
                return Schema.create(Schema.Type.BYTES);
            case ARRAY:
                {
                    Schema element = fromConnect(schema.valueSchema());
                    return element == null
                            ? null
                            : Schema.createArray(
                                    Schema.createUnion(Schema.create(Schema.Type.NULL), element));
                }
            default:
                return null;
        }
    }
}

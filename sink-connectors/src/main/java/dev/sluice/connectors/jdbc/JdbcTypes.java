package dev.sluice.connectors.jdbc;

import dev.sluice.connectors.sink.AvroSchemas;
import dev.sluice.connectors.sink.AvroValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Which column types hold which Avro field types, and the conversion of a value into the JDBC
 * parameter that writes it.
 *
 * <table>
 *   <caption>Avro field to column</caption>
 *   <tr><th>field</th><th>columns that hold it</th><th>parameter</th></tr>
 *   <tr><td>boolean</td><td>boolean/bit, integer types (1/0), text</td><td>Boolean / Integer</td></tr>
 *   <tr><td>int</td><td>integer, bigint, numeric with 10+ integer digits, double, text</td><td>Integer, BigDecimal, Double</td></tr>
 *   <tr><td>long</td><td>bigint, numeric with 19+ integer digits, text</td><td>Long, BigDecimal</td></tr>
 *   <tr><td>float / double</td><td>real or double / double</td><td>Float / Double</td></tr>
 *   <tr><td>string, uuid</td><td>text (length checked per value), PostgreSQL uuid, json/jsonb</td><td>String, UUID</td></tr>
 *   <tr><td>enum</td><td>text</td><td>String (the symbol)</td></tr>
 *   <tr><td>bytes, fixed</td><td>binary types (bytea, blob, varbinary)</td><td>byte[]</td></tr>
 *   <tr><td>decimal(p, s)</td><td>numeric with scale &ge; s and &ge; p - s integer digits, unconstrained numeric, text</td><td>BigDecimal</td></tr>
 *   <tr><td>date</td><td>date, timestamp</td><td>LocalDate / LocalDateTime</td></tr>
 *   <tr><td>time-millis/-micros</td><td>time</td><td>LocalTime</td></tr>
 *   <tr><td>timestamp-millis/-micros (instant)</td><td>timestamptz; timestamp/datetime as UTC wall time</td><td>OffsetDateTime (UTC) / LocalDateTime (UTC)</td></tr>
 *   <tr><td>local-timestamp-millis/-micros</td><td>timestamp without zone</td><td>LocalDateTime</td></tr>
 *   <tr><td>record, array, map</td><td>json/jsonb, text</td><td>JSON text</td></tr>
 * </table>
 */
final class JdbcTypes {

    private JdbcTypes() {}

    /** Whether a column of type {@code c} holds every value of the (non-null) field type. */
    static boolean canHold(Schema field, JdbcColumn c) {
        Schema s = AvroSchemas.nonNull(field);
        String logical = AvroSchemas.logicalName(s);
        if (AvroSchemas.isDecimal(s)) {
            LogicalTypes.Decimal d = (LogicalTypes.Decimal) s.getLogicalType();
            if (c.isText()) {
                return true;
            }
            return c.isDecimal()
                    && (c.isUnboundedDecimal()
                            || (c.scale() >= d.getScale()
                                    && c.integerDigits() >= d.getPrecision() - d.getScale()));
        }
        switch (s.getType()) {
            case BOOLEAN:
                return c.isBoolean() || c.integerBits() > 0 || c.isText();
            case INT:
                if ("date".equals(logical)) {
                    return c.isDate() || (c.isTimestamp() && !c.isZonedTimestamp());
                }
                if ("time-millis".equals(logical)) {
                    return c.isTime();
                }
                return c.integerBits() >= 32
                        || (c.isDecimal() && c.integerDigits() >= 10)
                        || c.isDouble()
                        || c.isText();
            case LONG:
                if ("time-micros".equals(logical)) {
                    return c.isTime();
                }
                if (AvroValues.isInstant(s)) {
                    return c.isTimestamp();
                }
                if (AvroValues.isLocalTimestamp(s)) {
                    return c.isTimestamp() && !c.isZonedTimestamp();
                }
                return c.integerBits() == 64
                        || (c.isDecimal() && c.integerDigits() >= 19)
                        || c.isText();
            case FLOAT:
                return c.isReal() || c.isDouble();
            case DOUBLE:
                return c.isDouble();
            case STRING:
                return c.isText() || c.isUuid() || c.isJson();
            case ENUM:
                return c.isText();
            case BYTES:
            case FIXED:
                return c.isBinary();
            case RECORD:
            case ARRAY:
            case MAP:
                return c.isText() || c.isJson();
            default:
                return false;
        }
    }

    /**
     * The JDBC parameter for a non-null value of {@code field} written to {@code c}.
     *
     * @throws IllegalArgumentException naming the field when the value does not fit the column (a
     *     string longer than the column, a decimal with too many digits, a malformed uuid)
     */
    static Object toParameter(Object value, Schema field, JdbcColumn c, String fieldName) {
        Schema s = AvroSchemas.nonNull(field);
        String logical = AvroSchemas.logicalName(s);
        if (AvroSchemas.isDecimal(s)) {
            BigDecimal bd = AvroValues.decimal(value, s);
            if (c.isText()) {
                return text(bd.toPlainString(), c, fieldName);
            }
            if (!c.isUnboundedDecimal() && bd.precision() - bd.scale() > c.integerDigits()) {
                throw new IllegalArgumentException(
                        "field '"
                                + fieldName
                                + "' has "
                                + bd.toPlainString()
                                + ", which does not fit column '"
                                + c.name()
                                + "' ("
                                + c.describe()
                                + ")");
            }
            return bd;
        }
        switch (s.getType()) {
            case BOOLEAN:
                boolean b = (Boolean) value;
                if (c.isBoolean()) {
                    return b;
                }
                if (c.integerBits() > 0) {
                    return b ? 1 : 0;
                }
                return text(Boolean.toString(b), c, fieldName);
            case INT:
                if ("date".equals(logical)) {
                    return c.isDate()
                            ? AvroValues.date(value)
                            : AvroValues.date(value).atStartOfDay();
                }
                if ("time-millis".equals(logical)) {
                    return AvroValues.time(value, s);
                }
                return number(((Number) value).intValue(), c, fieldName);
            case LONG:
                if ("time-micros".equals(logical)) {
                    return AvroValues.time(value, s);
                }
                if (AvroValues.isInstant(s)) {
                    Instant i = AvroValues.instant(value, s);
                    return c.isZonedTimestamp()
                            ? OffsetDateTime.ofInstant(i, ZoneOffset.UTC)
                            : LocalDateTime.ofInstant(i, ZoneOffset.UTC);
                }
                if (AvroValues.isLocalTimestamp(s)) {
                    return AvroValues.localDateTime(value, s);
                }
                return number(((Number) value).longValue(), c, fieldName);
            case FLOAT:
                float f = ((Number) value).floatValue();
                return c.isReal() ? (Object) f : (Object) (double) f;
            case DOUBLE:
                return ((Number) value).doubleValue();
            case STRING:
            case ENUM:
                String str = AvroValues.text(value);
                if (c.isUuid()) {
                    try {
                        return UUID.fromString(str);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                "field '" + fieldName + "' is not a UUID: '" + str + "'", e);
                    }
                }
                return c.isJson() ? str : text(str, c, fieldName);
            case BYTES:
            case FIXED:
                return AvroValues.bytes(value);
            case RECORD:
            case ARRAY:
            case MAP:
                String json = GenericData.get().toString(value);
                return c.isJson() ? json : text(json, c, fieldName);
            default:
                throw new IllegalArgumentException(
                        "field '"
                                + fieldName
                                + "' of type "
                                + AvroSchemas.describe(s)
                                + " has no column type");
        }
    }

    private static Object number(long v, JdbcColumn c, String fieldName) {
        if (c.integerBits() == 64) {
            return v;
        }
        if (c.integerBits() > 0) {
            return (int) v;
        }
        if (c.isDecimal()) {
            return BigDecimal.valueOf(v);
        }
        if (c.isDouble()) {
            return (double) v;
        }
        return text(Long.toString(v), c, fieldName);
    }

    private static String text(String s, JdbcColumn c, String fieldName) {
        if (c.isBoundedText()) {
            int chars = s.codePointCount(0, s.length());
            if (chars > c.size()) {
                throw new IllegalArgumentException(
                        "field '"
                                + fieldName
                                + "' has "
                                + chars
                                + " characters; column '"
                                + c.name()
                                + "' ("
                                + c.describe()
                                + ") holds "
                                + c.size());
            }
        }
        return s;
    }
}

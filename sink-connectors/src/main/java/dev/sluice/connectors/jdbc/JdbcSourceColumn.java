package dev.sluice.connectors.jdbc;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * One column of what the {@code jdbc} source reads, as JDBC result-set metadata describes it: the
 * Avro type its values get and how a value is read. The mapping (also in the package
 * documentation):
 *
 * <table>
 *   <caption>column to Avro</caption>
 *   <tr><th>column (JDBC type / database type)</th><th>Avro</th></tr>
 *   <tr><td>BOOLEAN, BIT(1) (PostgreSQL bool, MariaDB BOOLEAN = TINYINT(1))</td><td>boolean</td></tr>
 *   <tr><td>TINYINT, SMALLINT, INTEGER</td><td>int (MariaDB INT UNSIGNED: long)</td></tr>
 *   <tr><td>BIGINT</td><td>long (MariaDB BIGINT UNSIGNED: decimal(20, 0))</td></tr>
 *   <tr><td>REAL / FLOAT, DOUBLE</td><td>float / double</td></tr>
 *   <tr><td>NUMERIC, DECIMAL with a precision</td><td>decimal(p, s) on bytes</td></tr>
 *   <tr><td>NUMERIC without a precision (PostgreSQL {@code numeric})</td><td>double (values
 *       beyond a double's 15-17 significant digits are rounded)</td></tr>
 *   <tr><td>CHAR, VARCHAR, TEXT, CLOB, NCHAR, ...</td><td>string</td></tr>
 *   <tr><td>DATE (MariaDB YEAR too)</td><td>int date</td></tr>
 *   <tr><td>TIME</td><td>long time-micros</td></tr>
 *   <tr><td>TIMESTAMP, DATETIME</td><td>long local-timestamp-micros (wall time)</td></tr>
 *   <tr><td>PostgreSQL timestamptz, TIMESTAMP_WITH_TIMEZONE</td><td>long timestamp-micros (an
 *       instant)</td></tr>
 *   <tr><td>BINARY, VARBINARY, LONGVARBINARY, BLOB (bytea, blob), MariaDB BIT(n &gt; 1)</td>
 *       <td>bytes</td></tr>
 *   <tr><td>anything else (uuid, json/jsonb, PostgreSQL timetz, interval, money, bit(n), arrays,
 *       enums, inet, xml, ...)</td><td>string: the database's text form</td></tr>
 * </table>
 *
 * A nullable column (or one whose nullability the driver does not know, as for computed query
 * columns) becomes {@code ["null", T]} with default null.
 */
public final class JdbcSourceColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How a column's values are read and typed. */
    public enum Kind {
        BOOLEAN,
        INT,
        LONG,
        FLOAT,
        DOUBLE,
        /** A numeric without precision, read as a double. */
        UNBOUNDED_DECIMAL,
        DECIMAL,
        STRING,
        DATE,
        TIME,
        LOCAL_TIMESTAMP,
        TIMESTAMP,
        BYTES
    }

    private final String label;
    private final String typeName;
    private final Kind kind;
    private final int precision;
    private final int scale;
    private final boolean nullable;

    public JdbcSourceColumn(
            String label, String typeName, Kind kind, int precision, int scale, boolean nullable) {
        this.label = Objects.requireNonNull(label, "label");
        this.typeName = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.precision = precision;
        this.scale = scale;
        this.nullable = nullable;
    }

    /** Column {@code i} (from 1) of a result. */
    static JdbcSourceColumn of(ResultSetMetaData meta, int i, JdbcDialect dialect)
            throws SQLException {
        String label = meta.getColumnLabel(i);
        if (label == null || label.isEmpty()) {
            label = meta.getColumnName(i);
        }
        String typeName = meta.getColumnTypeName(i);
        String type = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        int sqlType = meta.getColumnType(i);
        int precision = meta.getPrecision(i);
        int scale = meta.getScale(i);
        boolean signed = dialect != JdbcDialect.MARIADB || meta.isSigned(i);
        boolean nullable = meta.isNullable(i) != ResultSetMetaData.columnNoNulls;
        Kind kind = kindOf(sqlType, type, precision, scale, signed, dialect);
        if (kind == Kind.DECIMAL && sqlType == Types.BIGINT) {
            precision = 20; // BIGINT UNSIGNED
            scale = 0;
        }
        return new JdbcSourceColumn(label, type, kind, precision, scale, nullable);
    }

    static Kind kindOf(
            int sqlType,
            String typeName,
            int precision,
            int scale,
            boolean signed,
            JdbcDialect dialect) {
        if (typeName.equals("timestamptz")) {
            return Kind.TIMESTAMP;
        }
        if (typeName.equals("money") || typeName.equals("timetz")) {
            return Kind.STRING; // PostgreSQL reports them as DOUBLE / TIME; their text is exact
        }
        switch (sqlType) {
            case Types.BOOLEAN:
                return Kind.BOOLEAN;
            case Types.BIT:
                if (typeName.equals("bool") || precision <= 1) {
                    return Kind.BOOLEAN;
                }
                return dialect == JdbcDialect.MARIADB ? Kind.BYTES : Kind.STRING;
            case Types.TINYINT:
            case Types.SMALLINT:
                return Kind.INT;
            case Types.INTEGER:
                return signed ? Kind.INT : Kind.LONG;
            case Types.BIGINT:
                // MariaDB reports INT UNSIGNED as BIGINT too: only BIGINT UNSIGNED needs more.
                return signed || !typeName.startsWith("bigint") ? Kind.LONG : Kind.DECIMAL;
            case Types.REAL:
                return Kind.FLOAT;
            case Types.FLOAT:
            case Types.DOUBLE:
                return Kind.DOUBLE;
            case Types.NUMERIC:
            case Types.DECIMAL:
                if (precision <= 0 || precision >= 1000 || scale < 0 || scale > precision) {
                    return Kind.UNBOUNDED_DECIMAL;
                }
                return Kind.DECIMAL;
            case Types.CHAR:
            case Types.VARCHAR:
            case Types.LONGVARCHAR:
            case Types.NCHAR:
            case Types.NVARCHAR:
            case Types.LONGNVARCHAR:
            case Types.CLOB:
            case Types.NCLOB:
                return Kind.STRING;
            case Types.DATE:
                return Kind.DATE;
            case Types.TIME:
                return Kind.TIME;
            case Types.TIMESTAMP:
                return Kind.LOCAL_TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return Kind.TIMESTAMP;
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
            case Types.BLOB:
                return Kind.BYTES;
            default:
                return Kind.STRING;
        }
    }

    /** The column's label in the result (its name, or the query's alias). */
    public String label() {
        return label;
    }

    /** The database's type name, lower case. */
    public String typeName() {
        return typeName;
    }

    public Kind kind() {
        return kind;
    }

    /** The precision of a decimal column. */
    public int precision() {
        return precision;
    }

    /** The scale of a decimal column. */
    public int scale() {
        return scale;
    }

    public boolean nullable() {
        return nullable;
    }

    /** Whether {@code splitColumn} may be this column: a number. */
    boolean isNumeric() {
        switch (kind) {
            case INT:
            case LONG:
            case FLOAT:
            case DOUBLE:
            case UNBOUNDED_DECIMAL:
            case DECIMAL:
                return true;
            default:
                return false;
        }
    }

    /** Whether the column holds whole numbers only, so ranges bind as longs. */
    boolean isIntegral() {
        return kind == Kind.INT || kind == Kind.LONG;
    }

    /** The Avro type of the column's non-null values. */
    public Schema avroType() {
        switch (kind) {
            case BOOLEAN:
                return Schema.create(Schema.Type.BOOLEAN);
            case INT:
                return Schema.create(Schema.Type.INT);
            case LONG:
                return Schema.create(Schema.Type.LONG);
            case FLOAT:
                return Schema.create(Schema.Type.FLOAT);
            case DOUBLE:
            case UNBOUNDED_DECIMAL:
                return Schema.create(Schema.Type.DOUBLE);
            case DECIMAL:
                return LogicalTypes.decimal(precision, scale)
                        .addToSchema(Schema.create(Schema.Type.BYTES));
            case DATE:
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case TIME:
                return LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case LOCAL_TIMESTAMP:
                return LogicalTypes.localTimestampMicros()
                        .addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMP:
                return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case BYTES:
                return Schema.create(Schema.Type.BYTES);
            case STRING:
            default:
                return Schema.create(Schema.Type.STRING);
        }
    }

    /**
     * The Avro value of column {@code i} of the current row: raw Avro (a ByteBuffer for decimals
     * and bytes, days for dates, microseconds for times and timestamps), or {@code null}.
     *
     * @throws IllegalArgumentException naming the column when the value has no Avro form (a date
     *     beyond Avro's range such as PostgreSQL's 'infinity', a decimal with more digits than
     *     declared, a NULL in a column reported NOT NULL)
     * @throws SQLException when the driver cannot read the value
     */
    Object read(ResultSet rs, int i) throws SQLException {
        Object value = readValue(rs, i);
        if (value == null && !nullable) {
            throw new IllegalArgumentException(
                    "column '" + label + "' is NULL, but the database reported it NOT NULL");
        }
        return value;
    }

    private Object readValue(ResultSet rs, int i) throws SQLException {
        switch (kind) {
            case BOOLEAN:
                {
                    boolean v = rs.getBoolean(i);
                    return rs.wasNull() ? null : v;
                }
            case INT:
                {
                    int v = rs.getInt(i);
                    return rs.wasNull() ? null : v;
                }
            case LONG:
                {
                    long v = rs.getLong(i);
                    return rs.wasNull() ? null : v;
                }
            case FLOAT:
                {
                    float v = rs.getFloat(i);
                    return rs.wasNull() ? null : v;
                }
            case DOUBLE:
            case UNBOUNDED_DECIMAL:
                {
                    double v = rs.getDouble(i);
                    return rs.wasNull() ? null : v;
                }
            case DECIMAL:
                {
                    BigDecimal v = rs.getBigDecimal(i);
                    return v == null ? null : decimal(v);
                }
            case DATE:
                {
                    LocalDate v = rs.getObject(i, LocalDate.class);
                    return v == null ? null : days(v);
                }
            case TIME:
                {
                    LocalTime v = rs.getObject(i, LocalTime.class);
                    return v == null ? null : v.toNanoOfDay() / 1_000L;
                }
            case LOCAL_TIMESTAMP:
                {
                    LocalDateTime v = rs.getObject(i, LocalDateTime.class);
                    return v == null
                            ? null
                            : micros(v, v.toEpochSecond(ZoneOffset.UTC), v.getNano());
                }
            case TIMESTAMP:
                {
                    OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
                    return v == null ? null : micros(v, v.toEpochSecond(), v.getNano());
                }
            case BYTES:
                {
                    byte[] v = rs.getBytes(i);
                    return v == null ? null : ByteBuffer.wrap(v);
                }
            case STRING:
            default:
                return rs.getString(i);
        }
    }

    private ByteBuffer decimal(BigDecimal v) {
        BigDecimal scaled;
        try {
            scaled = v.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "column '"
                            + label
                            + "' holds "
                            + v.toPlainString()
                            + ", which has more than the "
                            + scale
                            + " decimal places of decimal("
                            + precision
                            + ", "
                            + scale
                            + ")");
        }
        if (scaled.precision() > precision) {
            throw new IllegalArgumentException(
                    "column '"
                            + label
                            + "' holds "
                            + v.toPlainString()
                            + ", which has more digits than decimal("
                            + precision
                            + ", "
                            + scale
                            + ")");
        }
        return ByteBuffer.wrap(scaled.unscaledValue().toByteArray());
    }

    private int days(LocalDate v) {
        long days = v.toEpochDay();
        if (days < Integer.MIN_VALUE || days > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "column '"
                            + label
                            + "' holds "
                            + describe(v)
                            + ", outside the range of an Avro date");
        }
        return (int) days;
    }

    private long micros(Object value, long epochSecond, int nano) {
        try {
            return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000L), nano / 1_000L);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "column '"
                            + label
                            + "' holds "
                            + describe(value)
                            + ", outside the range of an Avro timestamp in microseconds");
        }
    }

    /** PostgreSQL's infinities arrive as the largest and smallest java.time values. */
    private static String describe(Object value) {
        if (value.equals(LocalDate.MAX)
                || value.equals(LocalDateTime.MAX)
                || value.equals(OffsetDateTime.MAX)) {
            return "infinity";
        }
        if (value.equals(LocalDate.MIN)
                || value.equals(LocalDateTime.MIN)
                || value.equals(OffsetDateTime.MIN)) {
            return "-infinity";
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return label + " " + typeName + " -> " + kind;
    }
}

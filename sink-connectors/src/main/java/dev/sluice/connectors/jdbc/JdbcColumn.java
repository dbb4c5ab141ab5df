package dev.sluice.connectors.jdbc;

import java.io.Serializable;
import java.sql.Types;
import java.util.Locale;

/**
 * A column of the target table as JDBC metadata describes it: what the plan-time checks and the
 * value conversion need to know.
 */
public final class JdbcColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final int sqlType;
    private final String typeName;
    private final int size;
    private final int scale;
    private final boolean nullable;
    private final boolean hasDefault;
    private final boolean generated;

    public JdbcColumn(
            String name,
            int sqlType,
            String typeName,
            int size,
            int scale,
            boolean nullable,
            boolean hasDefault,
            boolean generated) {
        this.name = name;
        this.sqlType = sqlType;
        this.typeName = typeName == null ? "" : typeName;
        this.size = size;
        this.scale = scale;
        this.nullable = nullable;
        this.hasDefault = hasDefault;
        this.generated = generated;
    }

    public String name() {
        return name;
    }

    /** The {@link Types} constant. */
    public int sqlType() {
        return sqlType;
    }

    /** The database's own type name, lower case (e.g. {@code timestamptz}, {@code varchar}). */
    public String typeName() {
        return typeName.toLowerCase(Locale.ROOT);
    }

    /** Characters of a text column, digits of a numeric one (0 when not known). */
    public int size() {
        return size;
    }

    /** Digits after the point of a numeric column. */
    public int scale() {
        return scale;
    }

    public boolean nullable() {
        return nullable;
    }

    /** Whether the column has a default (including auto-increment and sequences). */
    public boolean hasDefault() {
        return hasDefault;
    }

    /** Whether the database computes the column itself (never written). */
    public boolean generated() {
        return generated;
    }

    /** The column's type as people read it, e.g. {@code varchar(20)}, {@code numeric(10, 2)}. */
    public String describe() {
        String t = typeName();
        if (isText() && size > 0 && size < Integer.MAX_VALUE) {
            return t + "(" + size + ")";
        }
        if (isDecimal() && size > 0 && size < 1000) {
            return t + "(" + size + ", " + scale + ")";
        }
        return t;
    }

    boolean isText() {
        switch (sqlType) {
            case Types.CHAR:
            case Types.VARCHAR:
            case Types.LONGVARCHAR:
            case Types.NCHAR:
            case Types.NVARCHAR:
            case Types.LONGNVARCHAR:
            case Types.CLOB:
            case Types.NCLOB:
                return true;
            default:
                return false;
        }
    }

    /** A text column with a maximum length that values must respect. */
    boolean isBoundedText() {
        return isText() && size > 0 && size < Integer.MAX_VALUE && sqlType != Types.CLOB;
    }

    boolean isDecimal() {
        return sqlType == Types.DECIMAL || sqlType == Types.NUMERIC;
    }

    /** A numeric column without a declared precision (PostgreSQL {@code numeric}). */
    boolean isUnboundedDecimal() {
        return isDecimal() && (size <= 0 || size >= 1000);
    }

    /** Digits before the point a numeric column holds. */
    int integerDigits() {
        return isUnboundedDecimal() ? Integer.MAX_VALUE : size - scale;
    }

    boolean isJson() {
        return "json".equals(typeName()) || "jsonb".equals(typeName());
    }

    boolean isUuid() {
        return "uuid".equals(typeName());
    }

    boolean isBoolean() {
        return sqlType == Types.BOOLEAN || (sqlType == Types.BIT && size <= 1);
    }

    /** Bits of an integer column, or 0. */
    int integerBits() {
        switch (sqlType) {
            case Types.TINYINT:
                return 8;
            case Types.SMALLINT:
                return 16;
            case Types.INTEGER:
                return 32;
            case Types.BIGINT:
                return 64;
            default:
                return 0;
        }
    }

    boolean isReal() {
        return sqlType == Types.REAL;
    }

    boolean isDouble() {
        return sqlType == Types.DOUBLE || sqlType == Types.FLOAT;
    }

    boolean isBinary() {
        switch (sqlType) {
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
            case Types.BLOB:
                return true;
            default:
                return false;
        }
    }

    boolean isDate() {
        return sqlType == Types.DATE;
    }

    boolean isTime() {
        return sqlType == Types.TIME || sqlType == Types.TIME_WITH_TIMEZONE;
    }

    boolean isTimestamp() {
        return sqlType == Types.TIMESTAMP || sqlType == Types.TIMESTAMP_WITH_TIMEZONE;
    }

    /** A timestamp column that stores instants (PostgreSQL {@code timestamptz}). */
    boolean isZonedTimestamp() {
        return sqlType == Types.TIMESTAMP_WITH_TIMEZONE || "timestamptz".equals(typeName());
    }

    @Override
    public String toString() {
        return name + " " + describe();
    }
}

package dev.sluice.connectors.cdc.schema;

import java.util.Locale;
import java.util.Objects;

/**
 * One column of a captured table as the database's catalog describes it: the facts the schema
 * derivation needs, nothing else. Immutable; build with {@link #builder(String, String)}.
 *
 * <p>{@code typeName} is the database's own name of the type: {@code pg_type.typname} for
 * PostgreSQL (an array type is its element's name prefixed with {@code _}, e.g. {@code _int4}) and
 * {@code DATA_TYPE} for MySQL/MariaDB ({@code int}, {@code varchar}, {@code datetime}, ...).
 */
public final class ColumnDefinition {
    private final String name;
    private final String typeName;
    private final boolean nullable;
    private final Integer precision;
    private final Integer scale;
    private final Integer length;
    private final boolean unsigned;
    private final boolean enumType;

    private ColumnDefinition(Builder b) {
        this.name = b.name;
        this.typeName = b.typeName;
        this.nullable = b.nullable;
        this.precision = b.precision;
        this.scale = b.scale;
        this.length = b.length;
        this.unsigned = b.unsigned;
        this.enumType = b.enumType;
    }

    /** A column called {@code name} of the database type {@code typeName}. */
    public static Builder builder(String name, String typeName) {
        return new Builder(name, typeName);
    }

    /** The column's name as the database spells it. */
    public String name() {
        return name;
    }

    /** The database's name of the column's type, lower case. */
    public String typeName() {
        return typeName;
    }

    public boolean nullable() {
        return nullable;
    }

    /** Declared precision of a decimal ({@code numeric(p, s)}), or {@code null} when unbounded. */
    public Integer precision() {
        return precision;
    }

    /** Declared scale of a decimal, or {@code null}. */
    public Integer scale() {
        return scale;
    }

    /** Declared length ({@code bit(n)}, {@code char(n)}), or {@code null}. */
    public Integer length() {
        return length;
    }

    /** MySQL/MariaDB: the integer or decimal type is {@code UNSIGNED}. */
    public boolean unsigned() {
        return unsigned;
    }

    /** PostgreSQL: a user-defined {@code ENUM} type (its values are strings). */
    public boolean enumType() {
        return enumType;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ColumnDefinition)) {
            return false;
        }
        ColumnDefinition c = (ColumnDefinition) o;
        return name.equals(c.name)
                && typeName.equals(c.typeName)
                && nullable == c.nullable
                && Objects.equals(precision, c.precision)
                && Objects.equals(scale, c.scale)
                && Objects.equals(length, c.length)
                && unsigned == c.unsigned
                && enumType == c.enumType;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, typeName, nullable, precision, scale, length, unsigned);
    }

    @Override
    public String toString() {
        return name
                + " "
                + typeName
                + (precision != null
                        ? "(" + precision + (scale != null ? "," + scale : "") + ")"
                        : "")
                + (length != null ? "[" + length + "]" : "")
                + (unsigned ? " unsigned" : "")
                + (nullable ? "" : " not null");
    }

    /** Builds a {@link ColumnDefinition}; columns are nullable unless told otherwise. */
    public static final class Builder {
        private final String name;
        private final String typeName;
        private boolean nullable = true;
        private Integer precision;
        private Integer scale;
        private Integer length;
        private boolean unsigned;
        private boolean enumType;

        private Builder(String name, String typeName) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("column name must not be empty");
            }
            if (typeName == null || typeName.isEmpty()) {
                throw new IllegalArgumentException("type of column '" + name + "' must be set");
            }
            this.name = name;
            this.typeName = typeName.toLowerCase(Locale.ROOT);
        }

        public Builder nullable(boolean nullable) {
            this.nullable = nullable;
            return this;
        }

        public Builder precision(Integer precision) {
            this.precision = precision;
            return this;
        }

        public Builder scale(Integer scale) {
            this.scale = scale;
            return this;
        }

        public Builder length(Integer length) {
            this.length = length;
            return this;
        }

        public Builder unsigned(boolean unsigned) {
            this.unsigned = unsigned;
            return this;
        }

        public Builder enumType(boolean enumType) {
            this.enumType = enumType;
            return this;
        }

        public ColumnDefinition build() {
            if (precision != null && precision < 1) {
                throw new IllegalArgumentException(
                        "precision of column '" + name + "' must be >= 1, got " + precision);
            }
            if (scale != null && precision != null && (scale < 0 || scale > precision)) {
                throw new IllegalArgumentException(
                        "scale of column '"
                                + name
                                + "' must be between 0 and the precision "
                                + precision
                                + ", got "
                                + scale);
            }
            return new ColumnDefinition(this);
        }
    }
}

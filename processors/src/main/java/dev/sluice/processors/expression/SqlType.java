package dev.sluice.processors.expression;

import java.util.Locale;
import org.apache.avro.Schema;

/**
 * The SQL type of an expression node: a kind, nullability, and for {@code DECIMAL} precision and
 * scale. Values of each kind have one Java representation while being evaluated:
 *
 * <ul>
 *   <li>{@code BOOLEAN} {@link Boolean} (always {@link Boolean#TRUE} or {@link Boolean#FALSE})
 *   <li>{@code INT} {@link Integer}, {@code BIGINT} {@link Long}, {@code FLOAT} {@link Float},
 *       {@code DOUBLE} {@link Double}, {@code DECIMAL} {@link java.math.BigDecimal}
 *   <li>{@code STRING} {@link String}
 *   <li>{@code OTHER} the raw Avro value (bytes, fixed, arrays, maps, records, multi-branch
 *       unions): such values can only be tested for NULL or passed through
 *   <li>{@code NULL} the type of the {@code NULL} literal, only ever {@code null}
 * </ul>
 */
record SqlType(Kind kind, boolean nullable, int precision, int scale, Schema other) {

    /** Kinds of SQL types. Numeric kinds are declared in widening order. */
    enum Kind {
        NULL,
        BOOLEAN,
        INT,
        BIGINT,
        DECIMAL,
        FLOAT,
        DOUBLE,
        STRING,
        OTHER;

        boolean isNumeric() {
            return this == INT
                    || this == BIGINT
                    || this == DECIMAL
                    || this == FLOAT
                    || this == DOUBLE;
        }

        boolean isExactInteger() {
            return this == INT || this == BIGINT;
        }

        boolean isApproximate() {
            return this == FLOAT || this == DOUBLE;
        }
    }

    /** Largest DECIMAL precision derived types are capped at (as in Flink SQL). */
    static final int MAX_DECIMAL_PRECISION = 38;

    static final SqlType NULL = new SqlType(Kind.NULL, true, 0, 0, null);

    static SqlType of(Kind kind, boolean nullable) {
        if (kind == Kind.DECIMAL || kind == Kind.OTHER) {
            throw new IllegalArgumentException("use decimal() or other() for " + kind);
        }
        return new SqlType(kind, kind == Kind.NULL || nullable, 0, 0, null);
    }

    static SqlType decimal(int precision, int scale, boolean nullable) {
        return new SqlType(Kind.DECIMAL, nullable, precision, scale, null);
    }

    static SqlType other(Schema avroSchema, boolean nullable) {
        return new SqlType(Kind.OTHER, nullable, 0, 0, avroSchema);
    }

    SqlType withNullable(boolean newNullable) {
        if (kind == Kind.NULL || newNullable == nullable) {
            return this;
        }
        return new SqlType(kind, newNullable, precision, scale, other);
    }

    /** Same kind, and for DECIMAL the same precision and scale (nullability is ignored). */
    boolean sameAs(SqlType that) {
        return kind == that.kind
                && precision == that.precision
                && scale == that.scale
                && (kind != Kind.OTHER || other.equals(that.other));
    }

    /** The DECIMAL type an exact value of this type fits in (INT → DECIMAL(10, 0), ...). */
    SqlType asDecimal() {
        switch (kind) {
            case INT:
                return decimal(10, 0, nullable);
            case BIGINT:
                return decimal(19, 0, nullable);
            case DECIMAL:
                return this;
            default:
                throw new IllegalStateException("not an exact numeric type: " + this);
        }
    }

    /** The type name users see in messages: {@code INT}, {@code DECIMAL(10, 2)}, {@code BYTES}. */
    @Override
    public String toString() {
        switch (kind) {
            case DECIMAL:
                return "DECIMAL(" + precision + ", " + scale + ")";
            case OTHER:
                return other.getType().getName().toUpperCase(Locale.ROOT);
            default:
                return kind.name();
        }
    }
}

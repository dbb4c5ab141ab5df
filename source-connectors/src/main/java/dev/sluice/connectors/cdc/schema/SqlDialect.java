package dev.sluice.connectors.cdc.schema;

/**
 * The database family a table comes from. Column type names mean different things per family
 * ({@code timestamp} is a zoned instant in MySQL and a local date-time in PostgreSQL), so the
 * schema derivation needs to know which family it reads.
 */
public enum SqlDialect {
    /** PostgreSQL: type names as in {@code pg_type.typname} ({@code int4}, {@code _text}, ...). */
    POSTGRES,
    /** MySQL and MariaDB: type names as in {@code information_schema.COLUMNS.DATA_TYPE}. */
    MYSQL
}

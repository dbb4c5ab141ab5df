package dev.sluice.connectors.cdc.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Derives the Avro schemas of a captured table from its catalog description (see the type mapping
 * in the {@linkplain dev.sluice.connectors.cdc package documentation}).
 *
 * <p>Exists as a class of its own so that the mapping is one tested place: the plan derives the
 * schemas it registers here, and the capture writes values of exactly these schemas. Deterministic:
 * the same table always gives equal schemas, so re-planning an unchanged table registers nothing
 * new, and a table whose columns changed gets a new schema version.
 *
 * <p>Names: Avro names allow {@code [A-Za-z_][A-Za-z0-9_]*}. A column whose name is not such a name
 * becomes a field with every other character replaced by {@code _} (and a leading {@code _} before
 * a digit); the field then carries the property {@value #COLUMN_PROPERTY} with the column's real
 * name. Two columns that end up with the same field name are refused.
 */
public final class TableSchemaDerivation {

    /** Field property holding the column name when the field name had to differ from it. */
    public static final String COLUMN_PROPERTY = "sluice.column";

    private static final Set<String> PG_STRINGS =
            Set.of(
                    "text",
                    "varchar",
                    "bpchar",
                    "char",
                    "name",
                    "citext",
                    "uuid",
                    "json",
                    "jsonb",
                    "xml",
                    "inet",
                    "cidr",
                    "macaddr",
                    "macaddr8",
                    "interval",
                    "timetz",
                    "ltree",
                    "hstore");
    private static final Set<String> PG_ARRAY_ELEMENTS =
            Set.of(
                    "int2", "int4", "int8", "float4", "float8", "bool", "text", "varchar", "bpchar",
                    "char", "name", "citext", "uuid", "json", "jsonb");
    private static final Set<String> MYSQL_STRINGS =
            Set.of(
                    "char",
                    "varchar",
                    "tinytext",
                    "text",
                    "mediumtext",
                    "longtext",
                    "enum",
                    "set",
                    "json",
                    "uuid");
    private static final Set<String> MYSQL_BYTES =
            Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob");

    private TableSchemaDerivation() {}

    /**
     * The value and key schemas of {@code table}.
     *
     * @param namespace the Avro namespace of the records (e.g. derived from the topic name; made a
     *     valid namespace here)
     * @throws UnsupportedColumnTypeException for a column type without a mapping
     * @throws IllegalArgumentException if the table has no key columns or names clash
     */
    public static DerivedTableSchema derive(
            SqlDialect dialect, TableDefinition table, String namespace) {
        return derive(dialect, table, namespace, null);
    }

    /**
     * The value and key schemas of {@code table}, kept compatible with the version its topic's
     * subject already has: a column that {@code registered} lacks or has as nullable is nullable
     * (default {@code null}) whatever the catalog says. A column added with {@code NOT NULL}, or
     * whose {@code NOT NULL} was added, thus never makes a version that cannot read the records
     * written before (BACKWARD), and matches what the running capture registered when it saw the
     * change (it adds columns as nullable).
     *
     * @param registered the latest value schema registered for the table's topic, or {@code null}
     */
    public static DerivedTableSchema derive(
            SqlDialect dialect, TableDefinition table, String namespace, Schema registered) {
        if (table.keyColumns().isEmpty()) {
            throw new IllegalArgumentException(
                    "table " + table.qualifiedName() + " has no key columns");
        }
        String ns = avroNamespace(namespace);
        Map<String, String> fieldNames = fieldNames(table);
        Map<String, AvroColumn> registeredColumns = new HashMap<>();
        if (registered != null) {
            for (AvroColumn c : columnsOf(registered)) {
                registeredColumns.put(c.column(), c);
            }
        }

        List<AvroColumn> columns = new ArrayList<>();
        Map<String, AvroColumn> byName = new HashMap<>();
        for (ColumnDefinition column : table.columns()) {
            boolean nullable = column.nullable();
            if (registered != null) {
                AvroColumn before = registeredColumns.get(column.name());
                nullable |= before == null || before.nullable();
            }
            AvroColumn c =
                    new AvroColumn(
                            fieldNames.get(column.name()),
                            column.name(),
                            columnType(dialect, column),
                            nullable);
            columns.add(c);
            byName.put(column.name(), c);
        }
        List<AvroColumn> keys = new ArrayList<>();
        for (String key : table.keyColumns()) {
            keys.add(byName.get(key));
        }
        return new DerivedTableSchema(table, valueSchema(ns, columns), keySchema(ns, keys));
    }

    /**
     * The value schema of a table with {@code columns}: a record {@code Value} of the columns (a
     * nullable column as {@code ["null", T]} with default {@code null}), then the {@link CdcFields}
     * metadata, {@code __before} being a nullable record {@code Before} of all columns as nullable.
     */
    public static Schema valueSchema(String namespace, List<AvroColumn> columns) {
        List<Schema.Field> valueFields = new ArrayList<>();
        List<Schema.Field> beforeFields = new ArrayList<>();
        for (AvroColumn c : columns) {
            valueFields.add(field(c, c.nullable()));
            beforeFields.add(field(c, true));
        }
        Schema before = Schema.createRecord("Before", null, namespace, false, beforeFields);
        valueFields.add(new Schema.Field(CdcFields.OP, Schema.create(Schema.Type.STRING)));
        valueFields.add(new Schema.Field(CdcFields.EVENT_ID, Schema.create(Schema.Type.STRING)));
        valueFields.add(new Schema.Field(CdcFields.TS_MS, Schema.create(Schema.Type.LONG)));
        valueFields.add(new Schema.Field(CdcFields.SOURCE, Schema.create(Schema.Type.STRING)));
        valueFields.add(
                new Schema.Field(
                        CdcFields.BEFORE, nullable(before), null, JsonProperties.NULL_VALUE));
        return Schema.createRecord("Value", null, namespace, false, valueFields);
    }

    /** The key schema: a record {@code Key} of the key columns, in key order. */
    public static Schema keySchema(String namespace, List<AvroColumn> keyColumns) {
        List<Schema.Field> keyFields = new ArrayList<>();
        for (AvroColumn c : keyColumns) {
            keyFields.add(field(c, c.nullable()));
        }
        return Schema.createRecord("Key", null, namespace, false, keyFields);
    }

    /** The columns of a value schema made by {@link #valueSchema}, in field order. */
    public static List<AvroColumn> columnsOf(Schema valueSchema) {
        List<Schema.Field> fields = valueSchema.getFields();
        List<AvroColumn> columns = new ArrayList<>();
        for (int i = 0; i < fields.size() - CdcFields.ALL.size(); i++) {
            Schema.Field f = fields.get(i);
            boolean nullable = f.schema().getType() == Schema.Type.UNION;
            columns.add(new AvroColumn(f.name(), columnOf(f), nonNull(f.schema()), nullable));
        }
        return columns;
    }

    /** The column a field holds: its {@value #COLUMN_PROPERTY}, or its name. */
    public static String columnOf(Schema.Field field) {
        Object column = field.getObjectProp(COLUMN_PROPERTY);
        return column instanceof String ? (String) column : field.name();
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        return schema;
    }

    /**
     * The Avro type of a column's non-null values.
     *
     * @throws UnsupportedColumnTypeException naming the column, its type and what is supported
     */
    public static Schema columnType(SqlDialect dialect, ColumnDefinition column) {
        Schema type = dialect == SqlDialect.POSTGRES ? postgresType(column) : mysqlType(column);
        if (type == null) {
            throw new UnsupportedColumnTypeException(
                    column.name(),
                    column.typeName(),
                    "column '"
                            + column.name()
                            + "' has type '"
                            + column.typeName()
                            + "', which change capture does not support; supported: "
                            + supportedTypes(dialect));
        }
        return type;
    }

    /** The supported database types of a dialect, for error messages. */
    public static String supportedTypes(SqlDialect dialect) {
        Set<String> names = new TreeSet<>();
        if (dialect == SqlDialect.POSTGRES) {
            names.addAll(PG_STRINGS);
            names.addAll(
                    Set.of(
                            "int2",
                            "int4",
                            "int8",
                            "oid",
                            "float4",
                            "float8",
                            "numeric",
                            "money",
                            "bool",
                            "bytea",
                            "bit",
                            "varbit",
                            "date",
                            "time",
                            "timestamp",
                            "timestamptz",
                            "enum types"));
            names.add("arrays of " + String.join("/", new TreeSet<>(PG_ARRAY_ELEMENTS)));
        } else {
            names.addAll(MYSQL_STRINGS);
            names.addAll(MYSQL_BYTES);
            names.addAll(
                    Set.of(
                            "tinyint",
                            "smallint",
                            "mediumint",
                            "int",
                            "bigint",
                            "float",
                            "double",
                            "real",
                            "decimal",
                            "numeric",
                            "bit",
                            "date",
                            "time",
                            "datetime",
                            "timestamp",
                            "year"));
        }
        return String.join(", ", names);
    }

    private static Schema postgresType(ColumnDefinition c) {
        String t = c.typeName();
        if (t.startsWith("_")) {
            String element = t.substring(1);
            if (!PG_ARRAY_ELEMENTS.contains(element)) {
                return null;
            }
            Schema item =
                    postgresType(
                            ColumnDefinition.builder(c.name(), element).length(c.length()).build());
            return Schema.createArray(nullable(item));
        }
        if (c.enumType() || PG_STRINGS.contains(t)) {
            return Schema.create(Schema.Type.STRING);
        }
        switch (t) {
            case "int2":
            case "int4":
                return Schema.create(Schema.Type.INT);
            case "int8":
            case "oid":
                return Schema.create(Schema.Type.LONG);
            case "float4":
                return Schema.create(Schema.Type.FLOAT);
            case "float8":
                return Schema.create(Schema.Type.DOUBLE);
            case "numeric":
                if (c.precision() == null) {
                    return Schema.create(Schema.Type.STRING);
                }
                return decimal(c.precision(), c.scale() == null ? 0 : c.scale());
            case "money":
                return decimal(19, 2);
            case "bool":
                return Schema.create(Schema.Type.BOOLEAN);
            case "bytea":
            case "varbit":
                return Schema.create(Schema.Type.BYTES);
            case "bit":
                return c.length() == null || c.length() == 1
                        ? Schema.create(Schema.Type.BOOLEAN)
                        : Schema.create(Schema.Type.BYTES);
            case "date":
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case "time":
                return LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case "timestamp":
                return LogicalTypes.localTimestampMicros()
                        .addToSchema(Schema.create(Schema.Type.LONG));
            case "timestamptz":
                return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            default:
                return null;
        }
    }

    private static Schema mysqlType(ColumnDefinition c) {
        String t = c.typeName();
        if (MYSQL_STRINGS.contains(t)) {
            return Schema.create(Schema.Type.STRING);
        }
        if (MYSQL_BYTES.contains(t)) {
            return Schema.create(Schema.Type.BYTES);
        }
        switch (t) {
            case "tinyint":
            case "smallint":
            case "mediumint":
            case "year":
                return Schema.create(Schema.Type.INT);
            case "int":
            case "integer":
                return Schema.create(c.unsigned() ? Schema.Type.LONG : Schema.Type.INT);
            case "bigint":
                return c.unsigned() ? decimal(20, 0) : Schema.create(Schema.Type.LONG);
            case "float":
                return Schema.create(Schema.Type.FLOAT);
            case "double":
            case "real":
                return Schema.create(Schema.Type.DOUBLE);
            case "decimal":
            case "numeric":
            case "fixed":
                if (c.precision() == null) {
                    return Schema.create(Schema.Type.STRING);
                }
                return decimal(c.precision(), c.scale() == null ? 0 : c.scale());
            case "bit":
                return c.length() == null || c.length() == 1
                        ? Schema.create(Schema.Type.BOOLEAN)
                        : Schema.create(Schema.Type.BYTES);
            case "date":
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case "time":
                return LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case "datetime":
                return LogicalTypes.localTimestampMicros()
                        .addToSchema(Schema.create(Schema.Type.LONG));
            case "timestamp":
                return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            default:
                return null;
        }
    }

    private static Schema decimal(int precision, int scale) {
        return LogicalTypes.decimal(precision, scale).addToSchema(Schema.create(Schema.Type.BYTES));
    }

    private static Schema nullable(Schema schema) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), schema);
    }

    private static Schema.Field field(AvroColumn column, boolean nullable) {
        Schema.Field field =
                nullable
                        ? new Schema.Field(
                                column.fieldName(),
                                nullable(column.type()),
                                null,
                                JsonProperties.NULL_VALUE)
                        : new Schema.Field(column.fieldName(), column.type());
        if (!column.fieldName().equals(column.column())) {
            field.addProp(COLUMN_PROPERTY, column.column());
        }
        return field;
    }

    private static Map<String, String> fieldNames(TableDefinition table) {
        Map<String, String> byColumn = new HashMap<>();
        Map<String, String> byField = new HashMap<>();
        for (ColumnDefinition column : table.columns()) {
            String name = avroName(column.name());
            if (CdcFields.ALL.contains(name)) {
                throw new IllegalArgumentException(
                        "column '"
                                + column.name()
                                + "' of "
                                + table.qualifiedName()
                                + " clashes with the metadata field "
                                + name
                                + " that every change carries; rename the column");
            }
            String previous = byField.putIfAbsent(name, column.name());
            if (previous != null) {
                throw new IllegalArgumentException(
                        "columns '"
                                + previous
                                + "' and '"
                                + column.name()
                                + "' of "
                                + table.qualifiedName()
                                + " both become the Avro field '"
                                + name
                                + "'; rename one of them");
            }
            byColumn.put(column.name(), name);
        }
        return byColumn;
    }

    /** {@code name} as a valid Avro name: other characters become {@code _}. */
    public static String avroName(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 1);
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            boolean ok =
                    (ch >= 'a' && ch <= 'z')
                            || (ch >= 'A' && ch <= 'Z')
                            || ch == '_'
                            || (i > 0 && ch >= '0' && ch <= '9');
            if (i == 0 && ch >= '0' && ch <= '9') {
                sb.append('_').append(ch);
            } else {
                sb.append(ok ? ch : '_');
            }
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    /** {@code namespace} with each dot-separated part made a valid Avro name. */
    public static String avroNamespace(String namespace) {
        List<String> parts = new ArrayList<>();
        for (String part : namespace.split("\\.", -1)) {
            if (!part.isEmpty()) {
                parts.add(avroName(part));
            }
        }
        return String.join(".", parts);
    }
}

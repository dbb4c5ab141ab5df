package dev.sluice.connectors.iceberg;

import dev.sluice.connectors.sink.AvroSchemas;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * How an existing Iceberg table must change to take the sink's fields, or why it cannot. Computed
 * at plan time to refuse an incompatible table with the field at fault, and again at provision
 * time, against the table as it is then, to apply the changes in one schema commit.
 *
 * <p>Allowed without a change: the table has extra optional columns; a column is wider than its
 * field (int field into a long column, float into double, a decimal of the same scale and larger
 * precision, a fixed field into a binary column). Applied at provision: a field without a column
 * becomes a new optional column (top level or inside a struct); a column narrower than its field is
 * promoted the way Iceberg allows (int to long, float to double, decimal precision). Refused: other
 * type differences, a nullable field for a required column (except key columns: null keys are
 * dead-lettered), a required column that no field feeds, and any change inside a list or map.
 */
public final class SchemaEvolution {

    /** A column to add: {@code parent} is {@code null} for a top-level column. */
    public static final class Addition {
        final String parent;
        final String name;
        final Type type;
        final String doc;

        Addition(String parent, String name, Type type, String doc) {
            this.parent = parent;
            this.name = name;
            this.type = type;
            this.doc = doc;
        }

        @Override
        public String toString() {
            return "add " + (parent == null ? "" : parent + ".") + name + " " + type;
        }
    }

    /** A column whose type is widened. */
    public static final class Promotion {
        final String path;
        final Type.PrimitiveType to;

        Promotion(String path, Type.PrimitiveType to) {
            this.path = path;
            this.to = to;
        }

        @Override
        public String toString() {
            return "widen " + path + " to " + to;
        }
    }

    private final List<Addition> additions;
    private final List<Promotion> promotions;

    private SchemaEvolution(List<Addition> additions, List<Promotion> promotions) {
        this.additions = Collections.unmodifiableList(additions);
        this.promotions = Collections.unmodifiableList(promotions);
    }

    /**
     * Compares the sink's fields with the table's schema.
     *
     * @param keyColumns top-level columns that are the upsert key (may be required while their
     *     fields are nullable)
     * @throws UnsupportedFieldException naming the first field or column that does not fit
     */
    public static SchemaEvolution compare(
            List<Schema.Field> fields, org.apache.iceberg.Schema table, Set<String> keyColumns) {
        List<Addition> additions = new ArrayList<>();
        List<Promotion> promotions = new ArrayList<>();
        compareStruct(null, fields, table.asStruct(), keyColumns, true, additions, promotions);
        return new SchemaEvolution(additions, promotions);
    }

    /** Whether the table takes the fields as it is. */
    public boolean isEmpty() {
        return additions.isEmpty() && promotions.isEmpty();
    }

    public List<Addition> additions() {
        return additions;
    }

    public List<Promotion> promotions() {
        return promotions;
    }

    /** Applies the changes in one schema commit; does nothing when there are none. */
    public void applyTo(Table table) {
        if (isEmpty()) {
            return;
        }
        UpdateSchema update = table.updateSchema();
        for (Addition a : additions) {
            if (a.parent == null) {
                update.addColumn(a.name, a.type, a.doc);
            } else {
                update.addColumn(a.parent, a.name, a.type, a.doc);
            }
        }
        for (Promotion p : promotions) {
            update.updateColumn(p.path, p.to);
        }
        update.commit();
    }

    @Override
    public String toString() {
        List<Object> all = new ArrayList<>(additions);
        all.addAll(promotions);
        return all.toString();
    }

    private static void compareStruct(
            String parent,
            List<Schema.Field> fields,
            Types.StructType struct,
            Set<String> keyColumns,
            boolean evolvable,
            List<Addition> additions,
            List<Promotion> promotions) {
        Set<String> fed = new HashSet<>();
        for (Schema.Field f : fields) {
            String path = parent == null ? f.name() : parent + "." + f.name();
            fed.add(f.name());
            Types.NestedField column = struct.field(f.name());
            if (column == null) {
                if (!evolvable) {
                    throw new UnsupportedFieldException(
                            path,
                            "the table has no such column, and Sluice adds columns only at the top"
                                    + " level or inside structs, not inside lists or maps");
                }
                Type type = AvroIcebergTypes.toType(f.schema(), path, new AtomicInteger());
                additions.add(new Addition(parent, f.name(), type, f.doc()));
                continue;
            }
            boolean key = parent == null && keyColumns.contains(f.name());
            if (AvroSchemas.isNullable(f.schema()) && column.isRequired() && !key) {
                throw new UnsupportedFieldException(
                        path, "the field is nullable but the table's column is required");
            }
            compareType(path, f.schema(), column.type(), evolvable, additions, promotions);
        }
        for (Types.NestedField column : struct.fields()) {
            if (!fed.contains(column.name()) && column.isRequired()) {
                String path = parent == null ? column.name() : parent + "." + column.name();
                throw new UnsupportedFieldException(
                        path, "the table's column is required but the input has no such field");
            }
        }
    }

    private static void compareType(
            String path,
            Schema avro,
            Type column,
            boolean evolvable,
            List<Addition> additions,
            List<Promotion> promotions) {
        Schema s = AvroSchemas.nonNull(avro);
        Type wanted = AvroIcebergTypes.toType(s, path, new AtomicInteger());
        if (wanted.isPrimitiveType()) {
            if (!column.isPrimitiveType()) {
                throw mismatch(path, avro, column);
            }
            if (wanted.equals(column) || writable(wanted, column)) {
                return;
            }
            if (TypeUtil.isPromotionAllowed(column, wanted.asPrimitiveType())) {
                if (!evolvable) {
                    throw new UnsupportedFieldException(
                            path,
                            "the field is "
                                    + AvroSchemas.describe(avro)
                                    + " but the table's column is "
                                    + column
                                    + ", and Sluice widens columns only at the top level or"
                                    + " inside structs");
                }
                promotions.add(new Promotion(path, wanted.asPrimitiveType()));
                return;
            }
            throw mismatch(path, avro, column);
        }
        switch (wanted.typeId()) {
            case STRUCT:
                if (!column.isStructType()) {
                    throw mismatch(path, avro, column);
                }
                compareStruct(
                        path,
                        s.getFields(),
                        column.asStructType(),
                        Set.of(),
                        evolvable,
                        additions,
                        promotions);
                return;
            case LIST:
                if (!column.isListType()) {
                    throw mismatch(path, avro, column);
                }
                Types.ListType list = column.asListType();
                if (AvroSchemas.isNullable(s.getElementType()) && list.isElementRequired()) {
                    throw new UnsupportedFieldException(
                            path,
                            "the field's elements are nullable but the column's are required");
                }
                compareType(
                        path + ".element",
                        s.getElementType(),
                        list.elementType(),
                        false,
                        additions,
                        promotions);
                return;
            case MAP:
                if (!column.isMapType()) {
                    throw mismatch(path, avro, column);
                }
                Types.MapType map = column.asMapType();
                if (!map.keyType().equals(Types.StringType.get())) {
                    throw mismatch(path, avro, column);
                }
                if (AvroSchemas.isNullable(s.getValueType()) && map.isValueRequired()) {
                    throw new UnsupportedFieldException(
                            path, "the field's values are nullable but the column's are required");
                }
                compareType(
                        path + ".value",
                        s.getValueType(),
                        map.valueType(),
                        false,
                        additions,
                        promotions);
                return;
            default:
                throw mismatch(path, avro, column);
        }
    }

    /** Whether a value of type {@code field} is written into a wider {@code column} as it is. */
    static boolean writable(Type field, Type column) {
        if (field.equals(column)) {
            return true;
        }
        switch (field.typeId()) {
            case INTEGER:
                return column.typeId() == Type.TypeID.LONG;
            case FLOAT:
                return column.typeId() == Type.TypeID.DOUBLE;
            case FIXED:
                return column.typeId() == Type.TypeID.BINARY;
            case DECIMAL:
                if (column.typeId() != Type.TypeID.DECIMAL) {
                    return false;
                }
                Types.DecimalType f = (Types.DecimalType) field;
                Types.DecimalType c = (Types.DecimalType) column;
                return f.scale() == c.scale() && f.precision() <= c.precision();
            default:
                return false;
        }
    }

    private static UnsupportedFieldException mismatch(String path, Schema avro, Type column) {
        return new UnsupportedFieldException(
                path,
                "the field is "
                        + AvroSchemas.describe(AvroSchemas.nonNull(avro))
                        + " but the table's column is "
                        + column
                        + ", which cannot hold it");
    }
}

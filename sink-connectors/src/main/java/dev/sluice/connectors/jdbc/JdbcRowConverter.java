package dev.sluice.connectors.jdbc;

import dev.sluice.connectors.sink.Change;
import dev.sluice.connectors.sink.ChangelogConvention;
import dev.sluice.connectors.sink.ConfluentKeyDecoder;
import dev.sluice.sdk.SluiceRecord;
import java.io.Serializable;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns a record into a {@link JdbcChange} for the table: which fields feed which columns was
 * decided at plan time; here values become JDBC parameters. Shared by the operator that
 * dead-letters records the table cannot take and by the writer, so both decide alike. Serializable:
 * schemas travel as JSON and are parsed on first use.
 */
final class JdbcRowConverter implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String valueSchemaJson;
    private final boolean valuesHaveOp;
    private final String[] fields;
    private final JdbcColumn[] columns;
    private final int[] keyPositions;
    private final String[] keyFieldsInKey;
    private final ConfluentKeyDecoder keyDecoder;
    private final String keySchemaJson;
    private transient Schema valueSchema;
    private transient Schema keySchema;

    /**
     * @param fields the value fields written, in column order of {@code columns}
     * @param columns the columns they feed
     * @param keyPositions for each primary key column, its index in {@code columns}
     * @param keyFieldsInKey for each primary key column, the field of the key schema holding it
     *     ({@code null} entries when the key schema lacks it)
     * @param keySchema the input's key schema, or {@code null}
     */
    JdbcRowConverter(
            Schema valueSchema,
            List<String> fields,
            List<JdbcColumn> columns,
            int[] keyPositions,
            String[] keyFieldsInKey,
            Schema keySchema) {
        this.valueSchemaJson = valueSchema.toString();
        this.valuesHaveOp = ChangelogConvention.hasOpField(valueSchema);
        this.fields = fields.toArray(new String[0]);
        this.columns = columns.toArray(new JdbcColumn[0]);
        this.keyPositions = keyPositions.clone();
        this.keyFieldsInKey = keyFieldsInKey.clone();
        this.keySchemaJson = keySchema == null ? null : keySchema.toString();
        this.keyDecoder = keySchema == null ? null : new ConfluentKeyDecoder(keySchema);
    }

    /** The written columns' names, in parameter order. */
    String[] columnNames() {
        String[] out = new String[columns.length];
        for (int i = 0; i < columns.length; i++) {
            out[i] = columns[i].name();
        }
        return out;
    }

    JdbcColumn[] columns() {
        return columns;
    }

    JdbcColumn keyColumn(int k) {
        return columns[keyPositions[k]];
    }

    int keySize() {
        return keyPositions.length;
    }

    /**
     * The change a record makes, or {@code null} when it makes none (a tombstone after a {@code
     * d}).
     *
     * @throws IllegalArgumentException saying why the table cannot take the record
     */
    JdbcChange convert(SluiceRecord record) {
        Change change = ChangelogConvention.classify(record, valuesHaveOp);
        switch (change) {
            case SKIP:
                return null;
            case DELETE_BY_KEY:
                return JdbcChange.delete(keyFromKeyBytes(record.key()));
            case DELETE:
                return JdbcChange.delete(keyOf(values(record.value(), true)));
            default:
                Object[] values = values(record.value(), false);
                return JdbcChange.upsert(keyOf(values), values);
        }
    }

    private Object[] values(GenericRecord value, boolean keysOnly) {
        if (valueSchema == null) {
            valueSchema = new Schema.Parser().parse(valueSchemaJson);
        }
        Object[] out = new Object[columns.length];
        boolean[] isKey = new boolean[columns.length];
        for (int p : keyPositions) {
            isKey[p] = true;
        }
        for (int i = 0; i < columns.length; i++) {
            if (keysOnly && !isKey[i]) {
                continue;
            }
            Object v = value.get(fields[i]);
            JdbcColumn c = columns[i];
            if (v == null) {
                if (isKey[i]) {
                    throw new IllegalArgumentException(
                            "field '"
                                    + fields[i]
                                    + "' feeds primary key column '"
                                    + c.name()
                                    + "' and is null");
                }
                if (!c.nullable()) {
                    throw new IllegalArgumentException(
                            "field '"
                                    + fields[i]
                                    + "' is null but column '"
                                    + c.name()
                                    + "' is NOT NULL");
                }
                continue;
            }
            out[i] =
                    JdbcTypes.toParameter(
                            v, valueSchema.getField(fields[i]).schema(), c, fields[i]);
        }
        return out;
    }

    private Object[] keyOf(Object[] values) {
        Object[] key = new Object[keyPositions.length];
        for (int k = 0; k < keyPositions.length; k++) {
            key[k] = values[keyPositions[k]];
        }
        return key;
    }

    private Object[] keyFromKeyBytes(byte[] keyBytes) {
        if (keyDecoder == null) {
            throw new IllegalArgumentException(
                    "a tombstone deletes by key, but the input has no key schema to read its key"
                            + " with");
        }
        if (keySchema == null) {
            keySchema = new Schema.Parser().parse(keySchemaJson);
        }
        GenericRecord keyRecord = keyDecoder.decode(keyBytes);
        Object[] key = new Object[keyPositions.length];
        for (int k = 0; k < keyPositions.length; k++) {
            JdbcColumn c = columns[keyPositions[k]];
            String field = keyFieldsInKey[k];
            if (field == null) {
                throw new IllegalArgumentException(
                        "a tombstone deletes by key, but the key has no field for primary key"
                                + " column '"
                                + c.name()
                                + "'");
            }
            Object v = keyRecord.get(field);
            if (v == null) {
                throw new IllegalArgumentException(
                        "the key's field '" + field + "' for column '" + c.name() + "' is null");
            }
            key[k] = JdbcTypes.toParameter(v, keySchema.getField(field).schema(), c, field);
        }
        return key;
    }
}

package dev.sluice.connectors.cdc.internal;

import dev.sluice.connectors.cdc.schema.CdcFields;
import dev.sluice.connectors.cdc.schema.TableSchemaDerivation;
import dev.sluice.schemas.AvroSchemas;
import dev.sluice.schemas.serde.ConfluentAvroEncoder;
import dev.sluice.schemas.serde.ConfluentWireFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.annotation.Internal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns Debezium's change events into Sluice's records: the row flattened into the table's planned
 * value schema plus the {@link CdcFields} metadata, keyed by an Avro record of the key columns,
 * both in Confluent wire format with the ids registered at provisioning. A delete becomes the
 * delete record and a tombstone.
 *
 * <p>Event ids (the idempotency key, {@code __event_id}): the first 128 bits of a SHA-256, in hex,
 * over the connector kind, the table, the operation, the key's Avro encoding and
 *
 * <ul>
 *   <li>for streamed changes, the change's log position: the LSN for PostgreSQL (every change has
 *       its own), binlog file, position and row for MySQL/MariaDB;
 *   <li>for snapshot reads ({@code r}), which share one position, the row's content instead:
 *       reading the same row again (a snapshot restarted after a failure) gives the same id.
 * </ul>
 *
 * Deterministic, so a change replayed from the log after a restore has the id it had before. Not
 * thread-safe: one per capture.
 */
@Internal
final class ChangeEncoder {
    private final ConnectorKind kind;
    private final Map<String, Table> tables = new HashMap<>();
    private final MessageDigest sha256;

    ChangeEncoder(ConnectorKind kind, List<TableRoute> routes) {
        this.kind = kind;
        for (TableRoute route : routes) {
            tables.put(route.tableId(), new Table(route));
        }
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The records of one Debezium event: none for events that carry no row change (heartbeats,
     * messages, tables not captured), one for inserts, updates and reads, two for deletes.
     *
     * @throws IllegalStateException naming the table when the row does not fit its planned schema
     */
    List<CapturedChange> encode(SourceRecord record) {
        if (!(record.value() instanceof Struct)) {
            return List.of();
        }
        Struct envelope = (Struct) record.value();
        org.apache.kafka.connect.data.Schema envelopeSchema = envelope.schema();
        if (envelopeSchema.field("op") == null || envelopeSchema.field("source") == null) {
            return List.of();
        }
        String op = envelope.getString("op");
        if (op == null || !"rcud".contains(op) || op.length() != 1) {
            return List.of();
        }
        Struct source = envelope.getStruct("source");
        String tableId =
                (kind == ConnectorKind.POSTGRES
                                ? source.getString("schema")
                                : source.getString("db"))
                        + "."
                        + source.getString("table");
        Table table = tables.get(tableId);
        if (table == null) {
            return List.of();
        }
        Struct before = envelope.getStruct("before");
        Struct after = envelope.getStruct("after");
        Struct row = "d".equals(op) ? before : after;
        if (row == null) {
            throw new IllegalStateException(
                    "the "
                            + op
                            + " change of "
                            + tableId
                            + " carries no row image; is the table's REPLICA IDENTITY FULL"
                            + " (PostgreSQL) or binlog_row_image FULL (MySQL/MariaDB)?");
        }
        try {
            return table.encode(op, row, before, source, envelope);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "cannot encode a change of " + tableId + ": " + e.getMessage(), e);
        }
    }

    private String position(Struct source) {
        if (kind == ConnectorKind.POSTGRES) {
            Long lsn = source.getInt64("lsn");
            return lsn == null ? "?" : lsn(lsn);
        }
        return source.getString("file")
                + ":"
                + source.getInt64("pos")
                + ":"
                + source.getInt32("row");
    }

    /** An LSN as PostgreSQL prints it ({@code 16/B374D848}). */
    static String lsn(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase()
                + "/"
                + Long.toHexString(lsn & 0xffffffffL).toUpperCase();
    }

    private final class Table {
        private final TableRoute route;
        private final Schema valueSchema;
        private final Schema keySchema;
        private final Schema beforeSchema;
        private final String[] valueColumns;
        private final int columnCount;
        private final String[] keyColumns;
        private final ConfluentAvroEncoder valueEncoder;
        private final ConfluentAvroEncoder keyEncoder;

        Table(TableRoute route) {
            this.route = route;
            this.valueSchema = AvroSchemas.parse(route.valueSchemaJson());
            this.keySchema = AvroSchemas.parse(route.keySchemaJson());
            this.beforeSchema =
                    ConnectValues.nonNull(valueSchema.getField(CdcFields.BEFORE).schema());
            this.columnCount = valueSchema.getFields().size() - CdcFields.ALL.size();
            this.valueColumns = new String[columnCount];
            for (int i = 0; i < columnCount; i++) {
                valueColumns[i] = columnOf(valueSchema.getFields().get(i));
            }
            this.keyColumns = new String[keySchema.getFields().size()];
            for (int i = 0; i < keyColumns.length; i++) {
                keyColumns[i] = columnOf(keySchema.getFields().get(i));
            }
            this.valueEncoder = new ConfluentAvroEncoder(route.valueSchemaId(), valueSchema);
            this.keyEncoder = new ConfluentAvroEncoder(route.keySchemaId(), keySchema);
        }

        List<CapturedChange> encode(
                String op, Struct row, Struct before, Struct source, Struct envelope) {
            GenericRecord key = new GenericData.Record(keySchema);
            for (int i = 0; i < keyColumns.length; i++) {
                key.put(i, column(row, keyColumns[i], keySchema.getFields().get(i)));
            }
            GenericRecord value = new GenericData.Record(valueSchema);
            for (int i = 0; i < columnCount; i++) {
                value.put(i, column(row, valueColumns[i], valueSchema.getFields().get(i)));
            }
            byte[] keyBytes = keyEncoder.encode(key);
            Long ts = source.getInt64("ts_ms");
            if (ts == null) {
                ts = envelope.getInt64("ts_ms");
            }
            String position = position(source);
            value.put(CdcFields.OP, op);
            value.put(CdcFields.EVENT_ID, eventId(op, keyBytes, value, position));
            value.put(CdcFields.TS_MS, ts == null ? 0L : ts);
            value.put(CdcFields.SOURCE, route.sourceName() + "@" + position);
            if ("u".equals(op) && before != null) {
                GenericRecord image = new GenericData.Record(beforeSchema);
                for (int i = 0; i < columnCount; i++) {
                    image.put(i, column(before, valueColumns[i], beforeSchema.getFields().get(i)));
                }
                value.put(CdcFields.BEFORE, image);
            }
            long timestamp = ts == null ? System.currentTimeMillis() : ts;
            CapturedChange change =
                    new CapturedChange(
                            route.topic(), keyBytes, valueEncoder.encode(value), timestamp);
            if ("d".equals(op)) {
                return List.of(
                        change, new CapturedChange(route.topic(), keyBytes, null, timestamp));
            }
            return List.of(change);
        }

        private Object column(Struct row, String column, Schema.Field field) {
            Field connectField = row.schema().field(column);
            if (connectField == null) {
                if (field.schema().getType() == Schema.Type.UNION) {
                    return null;
                }
                throw new IllegalArgumentException(
                        "column '"
                                + column
                                + "' is missing from the change; the table's columns changed since"
                                + " the pipeline was applied: apply it again to capture the new"
                                + " schema");
            }
            Object v = row.get(connectField);
            if (v == null && field.schema().getType() != Schema.Type.UNION) {
                throw new IllegalArgumentException("column '" + column + "' is null in the change");
            }
            try {
                return ConnectValues.toAvro(v, connectField.schema().name(), field.schema());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("column '" + column + "': " + e.getMessage(), e);
            }
        }

        private String eventId(String op, byte[] keyBytes, GenericRecord value, String position) {
            sha256.reset();
            update(kind.name());
            update(route.tableId());
            update(op);
            sha256.update(
                    keyBytes,
                    ConfluentWireFormat.HEADER_SIZE,
                    keyBytes.length - ConfluentWireFormat.HEADER_SIZE);
            if ("r".equals(op)) {
                for (int i = 0; i < columnCount; i++) {
                    update(GenericData.get().toString(value.get(i)));
                }
            } else {
                update(position);
            }
            byte[] digest = sha256.digest();
            StringBuilder hex = new StringBuilder(32);
            for (int i = 0; i < 16; i++) {
                hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16))
                        .append(Character.forDigit(digest[i] & 0xf, 16));
            }
            return hex.toString();
        }

        private void update(String s) {
            sha256.update(s.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
        }
    }

    private static String columnOf(Schema.Field field) {
        Object column = field.getObjectProp(TableSchemaDerivation.COLUMN_PROPERTY);
        return column instanceof String ? (String) column : field.name();
    }
}

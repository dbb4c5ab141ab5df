package dev.sluice.connectors.cdc.internal;

import dev.sluice.connectors.cdc.schema.AvroColumn;
import dev.sluice.connectors.cdc.schema.CdcFields;
import dev.sluice.connectors.cdc.schema.SqlDialect;
import dev.sluice.connectors.cdc.schema.TableSchemaDerivation;
import dev.sluice.schemas.AvroSchemas;
import dev.sluice.schemas.registry.RegisteredSchema;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.schemas.serde.ConfluentAvroEncoder;
import dev.sluice.schemas.serde.ConfluentWireFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.annotation.Internal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Deterministic, so a change replayed from the log after a restore has the id it had before; the id
 * does not depend on the schema version a change is written with.
 *
 * <p>Schema changes: each table has a current value schema, at first the planned one. A change
 * whose row (Debezium's Connect schema of {@code after}, or {@code before} for deletes) is a
 * Connect schema seen before is written with the version chosen for it then: the check costs an
 * identity comparison per change. A new Connect schema is compared with the current version ({@link
 * SchemaEvolution#differences}): if it fits, nothing changes; if not, and the change was made at or
 * after the plan's log position, the table's next version is derived ({@link
 * SchemaEvolution#evolve}) and registered under {@code <topic>-value} (and {@code <topic>-key} when
 * the key's types changed), and becomes current. A registry that refuses it fails the capture with
 * the table, the subject and the registry's reason. Changes made before the plan's position
 * (replayed after a restore with a newer plan) are written with the current version: columns they
 * lack are {@code null}, columns the version lacks are left out. Not thread-safe: one per capture.
 */
@Internal
final class ChangeEncoder {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeEncoder.class);

    /** Connect schemas remembered per table before the cache starts over. */
    static final int MAX_ROW_SCHEMAS = 64;

    private final ConnectorKind kind;
    private final SqlDialect dialect;
    private final LogPosition planPosition;
    private final SchemaRegistryClient registry;
    private final Map<String, Table> tables = new HashMap<>();
    private final MessageDigest sha256;
    private boolean lastWasRead;
    private long lastReadHash;

    /** An encoder that cannot register schema versions (a changed table fails the capture). */
    ChangeEncoder(ConnectorKind kind, List<TableRoute> routes) {
        this(kind, routes, null, null);
    }

    /**
     * @param planPosition where the log was when the pipeline was planned, or {@code null} when
     *     unknown (every change counts as made after it)
     * @param registry where new schema versions are registered, or {@code null}
     */
    ChangeEncoder(
            ConnectorKind kind,
            List<TableRoute> routes,
            LogPosition planPosition,
            SchemaRegistryClient registry) {
        this.kind = kind;
        this.dialect = kind == ConnectorKind.POSTGRES ? SqlDialect.POSTGRES : SqlDialect.MYSQL;
        this.planPosition = planPosition;
        this.registry = registry;
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
        lastWasRead = false;
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

    /**
     * Whether the last {@link #encode} call gave a snapshot read ({@code r}) of a captured table.
     */
    boolean lastWasRead() {
        return lastWasRead;
    }

    /**
     * The 64-bit hash of the last snapshot read's {@code __event_id}: its first 8 bytes, so equal
     * ids have equal hashes. Meaningful when {@link #lastWasRead()}.
     */
    long lastReadHash() {
        return lastReadHash;
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

    /** One schema version of a table, ready to encode with. */
    private static final class Version {
        final Schema valueSchema;
        final int valueId;
        final Schema keySchema;
        final int keyId;
        final Schema beforeSchema;
        final String[] valueColumns;
        final int columnCount;
        final String[] keyColumns;
        final ConfluentAvroEncoder valueEncoder;
        final ConfluentAvroEncoder keyEncoder;

        Version(Schema valueSchema, int valueId, Schema keySchema, int keyId) {
            this.valueSchema = valueSchema;
            this.valueId = valueId;
            this.keySchema = keySchema;
            this.keyId = keyId;
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
            this.valueEncoder = new ConfluentAvroEncoder(valueId, valueSchema);
            this.keyEncoder = new ConfluentAvroEncoder(keyId, keySchema);
        }
    }

    private final class Table {
        private final TableRoute route;
        private final String valueSubject;
        private final String keySubject;
        private final Map<org.apache.kafka.connect.data.Schema, Version> byRowSchema =
                new HashMap<>();
        private Version current;
        private org.apache.kafka.connect.data.Schema lastRowSchema;
        private Version lastVersion;

        Table(TableRoute route) {
            this.route = route;
            this.valueSubject = route.topic() + "-value";
            this.keySubject = route.topic() + "-key";
            this.current =
                    new Version(
                            AvroSchemas.parse(route.valueSchemaJson()),
                            route.valueSchemaId(),
                            AvroSchemas.parse(route.keySchemaJson()),
                            route.keySchemaId());
        }

        /** The version to write a change with: per Connect schema, decided once. */
        private Version version(Struct row, Struct source) {
            org.apache.kafka.connect.data.Schema rowSchema = row.schema();
            if (rowSchema == lastRowSchema) {
                return lastVersion;
            }
            Version v = byRowSchema.get(rowSchema);
            if (v == null) {
                v = resolve(rowSchema, source);
                if (byRowSchema.size() >= MAX_ROW_SCHEMAS) {
                    byRowSchema.clear();
                }
                byRowSchema.put(rowSchema, v);
            }
            lastRowSchema = rowSchema;
            lastVersion = v;
            return v;
        }

        private Version resolve(org.apache.kafka.connect.data.Schema rowSchema, Struct source) {
            boolean beforePlan = planPosition != null && planPosition.isAfter(source);
            List<String> changes;
            try {
                changes = SchemaEvolution.differences(current.valueSchema, rowSchema, dialect);
            } catch (IllegalArgumentException e) {
                if (!beforePlan) {
                    throw e;
                }
                // a column the plan no longer has, of a type without a mapping: left out anyway
                changes = List.of(e.getMessage());
            }
            if (changes.isEmpty()) {
                return current;
            }
            if (beforePlan) {
                LOG.info(
                        "changes of {} made before the pipeline was planned (at {}) have other"
                                + " columns than its schema ({}); they are written with that"
                                + " schema (id {}), missing columns as null",
                        route.tableId(),
                        planPosition,
                        String.join(", ", changes),
                        current.valueId);
                return current;
            }
            if (registry == null) {
                throw new IllegalArgumentException(
                        "the table's columns changed ("
                                + String.join(", ", changes)
                                + ") and this capture cannot register a new schema version");
            }
            // The subject may know the change already: registered by this capture before a
            // restart from a checkpoint, whose plan is older.
            Schema base = current.valueSchema;
            Optional<RegisteredSchema> latest = latest(changes);
            if (latest.isPresent()
                    && latest.get().id() != current.valueId
                    && isValueSchema(latest.get().schema())) {
                Schema known = latest.get().schema();
                if (SchemaEvolution.differences(known, rowSchema, dialect).isEmpty()) {
                    current = next(known, latest.get().id(), changes);
                    return current;
                }
                base = known;
            }
            List<AvroColumn> columns = SchemaEvolution.evolve(base, rowSchema, dialect);
            Schema value = TableSchemaDerivation.valueSchema(base.getNamespace(), columns);
            current = next(value, register(valueSubject, value, changes), changes);
            return current;
        }

        private Version next(Schema value, int valueId, List<String> changes) {
            List<AvroColumn> keys =
                    SchemaEvolution.keyColumns(
                            TableSchemaDerivation.columnsOf(value), route.keyColumns());
            Schema key = TableSchemaDerivation.keySchema(current.keySchema.getNamespace(), keys);
            int keyId =
                    key.equals(current.keySchema)
                            ? current.keyId
                            : register(keySubject, key, changes);
            LOG.info(
                    "table {} changed ({}): its changes are now written to {} with schema id {}"
                            + " (key schema id {})",
                    route.tableId(),
                    String.join(", ", changes),
                    route.topic(),
                    valueId,
                    keyId);
            return new Version(value, valueId, key, keyId);
        }

        private Optional<RegisteredSchema> latest(List<String> changes) {
            try {
                return registry.getLatest(valueSubject);
            } catch (SchemaRegistryException e) {
                throw refused(valueSubject, changes, e);
            }
        }

        private int register(String subject, Schema schema, List<String> changes) {
            try {
                return registry.register(subject, schema);
            } catch (SchemaRegistryException e) {
                throw refused(subject, changes, e);
            }
        }

        private IllegalStateException refused(
                String subject, List<String> changes, SchemaRegistryException e) {
            return new IllegalStateException(
                    "table "
                            + route.tableId()
                            + " changed ("
                            + String.join(", ", changes)
                            + "), and the schema registry "
                            + (e.status() == SchemaRegistryException.NO_RESPONSE
                                    ? "could not be reached to register"
                                    : "refused")
                            + " the new version of subject "
                            + subject
                            + " (topic "
                            + route.topic()
                            + "): "
                            + e.getMessage(),
                    e);
        }

        List<CapturedChange> encode(
                String op, Struct row, Struct before, Struct source, Struct envelope) {
            Version v = version(row, source);
            GenericRecord key = new GenericData.Record(v.keySchema);
            for (int i = 0; i < v.keyColumns.length; i++) {
                key.put(i, column(row, v.keyColumns[i], v.keySchema.getFields().get(i)));
            }
            GenericRecord value = new GenericData.Record(v.valueSchema);
            for (int i = 0; i < v.columnCount; i++) {
                value.put(i, column(row, v.valueColumns[i], v.valueSchema.getFields().get(i)));
            }
            byte[] keyBytes = v.keyEncoder.encode(key);
            Long ts = source.getInt64("ts_ms");
            if (ts == null) {
                ts = envelope.getInt64("ts_ms");
            }
            String position = position(source);
            value.put(CdcFields.OP, op);
            value.put(CdcFields.EVENT_ID, eventId(op, keyBytes, value, v.columnCount, position));
            value.put(CdcFields.TS_MS, ts == null ? 0L : ts);
            value.put(CdcFields.SOURCE, route.sourceName() + "@" + position);
            if ("u".equals(op) && before != null) {
                GenericRecord image = new GenericData.Record(v.beforeSchema);
                for (int i = 0; i < v.columnCount; i++) {
                    image.put(
                            i,
                            column(before, v.valueColumns[i], v.beforeSchema.getFields().get(i)));
                }
                value.put(CdcFields.BEFORE, image);
            }
            long timestamp = ts == null ? System.currentTimeMillis() : ts;
            CapturedChange change =
                    new CapturedChange(
                            route.topic(), keyBytes, v.valueEncoder.encode(value), timestamp);
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
                                + "' is missing from the change, but the topic's schema has it"
                                + " as non-null");
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

        private String eventId(
                String op, byte[] keyBytes, GenericRecord value, int columnCount, String position) {
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
            if ("r".equals(op)) {
                long hash = 0;
                for (int i = 0; i < 8; i++) {
                    hash = (hash << 8) | (digest[i] & 0xffL);
                }
                lastWasRead = true;
                lastReadHash = hash;
            }
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

    /** Whether {@code schema} is a capture's value schema (columns, then the metadata). */
    private static boolean isValueSchema(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD
                || schema.getFields().size() <= CdcFields.ALL.size()) {
            return false;
        }
        List<Schema.Field> fields = schema.getFields();
        int first = fields.size() - CdcFields.ALL.size();
        for (int i = 0; i < CdcFields.ALL.size(); i++) {
            if (!fields.get(first + i).name().equals(CdcFields.ALL.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static String columnOf(Schema.Field field) {
        return TableSchemaDerivation.columnOf(field);
    }
}

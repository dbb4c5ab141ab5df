package dev.sluice.processors.sql;

import dev.sluice.schemas.AvroSchemas;
import dev.sluice.schemas.serde.ConfluentAvroEncoder;
import dev.sluice.sdk.SluiceRecord;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

/**
 * Turns the query's result rows into Sluice records: an insert or update-after becomes a value, a
 * delete a tombstone under its key, and an update-before nothing when the update-after of the same
 * key follows it (the row is replaced in place). An update-before that no update-after follows (the
 * updated row no longer passes a WHERE or HAVING) is a delete: it becomes a tombstone.
 *
 * <p>The key is the Confluent-framed Avro record of the GROUP BY columns for an aggregate, the
 * input record's key bytes for a query that passes keys through, and null otherwise. The record's
 * time is the result's rowtime when it has one, else the processing time.
 *
 * <p>The planner emits an update's before and after rows in one go, so the after row, if any,
 * arrives right behind the before row; the before row waits until then, at most until the mailbox
 * runs its next timer, watermark or checkpoint barrier (it is emitted before either, never held in
 * state). Nothing here is dead-lettered: a result the declared schema cannot hold is a planning bug
 * and fails the job.
 */
final class OutputOperator extends AbstractStreamOperator<SluiceRecord>
        implements OneInputStreamOperator<Row, SluiceRecord> {
    private static final long serialVersionUID = 1L;

    private final String valueSchemaJson;
    private final String keySchemaJson;
    private final int keySchemaId;
    private final List<LogicalType> columnTypes;
    private final int[] valueColumns;
    private final int[] keyColumns;
    private final int keyBytesColumn;

    private transient Schema valueSchema;
    private transient Schema keySchema;
    private transient RowConverters.Converter[] valueConverters;
    private transient RowConverters.Converter[] keyConverters;
    private transient ConfluentAvroEncoder keyEncoder;
    private transient boolean pending;
    private transient byte[] pendingKey;
    private transient long pendingTime;
    private transient boolean timerArmed;

    /**
     * @param columnTypes the types of the result's columns
     * @param valueColumns the result columns of the value's fields, in order
     * @param keyColumns the result columns of the key record's fields (empty: no key record)
     * @param keyBytesColumn the result column holding the input's key bytes, or -1
     */
    OutputOperator(
            Schema valueSchema,
            Schema keySchema,
            int keySchemaId,
            List<LogicalType> columnTypes,
            int[] valueColumns,
            int[] keyColumns,
            int keyBytesColumn) {
        this.valueSchemaJson = valueSchema.toString();
        this.keySchemaJson = keySchema == null ? null : keySchema.toString();
        this.keySchemaId = keySchemaId;
        this.columnTypes = List.copyOf(columnTypes);
        this.valueColumns = valueColumns.clone();
        this.keyColumns = keyColumns.clone();
        this.keyBytesColumn = keyBytesColumn;
    }

    @Override
    public void open() throws Exception {
        super.open();
        valueSchema = AvroSchemas.parse(valueSchemaJson);
        valueConverters = converters(valueSchema, valueColumns);
        if (keySchemaJson != null) {
            keySchema = AvroSchemas.parse(keySchemaJson);
            keyConverters = converters(keySchema, keyColumns);
            keyEncoder = new ConfluentAvroEncoder(keySchemaId, keySchema);
        }
    }

    private RowConverters.Converter[] converters(Schema record, int[] columns) {
        RowConverters.Converter[] out = new RowConverters.Converter[columns.length];
        for (int i = 0; i < columns.length; i++) {
            out[i] =
                    RowConverters.writer(
                            columnTypes.get(columns[i]), record.getFields().get(i).schema());
        }
        return out;
    }

    @Override
    public void processElement(StreamRecord<Row> element) {
        Row row = element.getValue();
        RowKind kind = row.getKind();
        long time =
                element.hasTimestamp()
                        ? element.getTimestamp()
                        : getProcessingTimeService().getCurrentProcessingTime();
        byte[] key = key(row);
        if (pending) {
            boolean replaced = kind == RowKind.UPDATE_AFTER && Arrays.equals(pendingKey, key);
            if (!replaced) {
                flushPending();
            }
            pending = false;
            pendingKey = null;
        }
        switch (kind) {
            case UPDATE_BEFORE:
                pending = true;
                pendingKey = key;
                pendingTime = time;
                if (!timerArmed) {
                    // Fires once the upstream operators are done with the current record.
                    timerArmed = true;
                    long now = getProcessingTimeService().getCurrentProcessingTime();
                    getProcessingTimeService()
                            .registerTimer(
                                    now,
                                    t -> {
                                        timerArmed = false;
                                        flushPendingIfAny();
                                    });
                }
                return;
            case DELETE:
                output.collect(new StreamRecord<>(SluiceRecord.of(key, null, time), time));
                return;
            default:
                GenericData.Record value = record(valueSchema, valueConverters, valueColumns, row);
                output.collect(new StreamRecord<>(SluiceRecord.of(key, value, time), time));
        }
    }

    private byte[] key(Row row) {
        if (keyEncoder != null) {
            return keyEncoder.encode(record(keySchema, keyConverters, keyColumns, row));
        }
        if (keyBytesColumn >= 0) {
            return (byte[]) row.getField(keyBytesColumn);
        }
        return null;
    }

    private void flushPendingIfAny() {
        if (pending) {
            flushPending();
            pending = false;
            pendingKey = null;
        }
    }

    private void flushPending() {
        output.collect(
                new StreamRecord<>(SluiceRecord.of(pendingKey, null, pendingTime), pendingTime));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flushPendingIfAny();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flushPendingIfAny();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flushPendingIfAny();
        super.finish();
    }

    private static GenericData.Record record(
            Schema schema, RowConverters.Converter[] converters, int[] columns, Row row) {
        GenericData.Record record = new GenericData.Record(schema);
        for (int i = 0; i < columns.length; i++) {
            record.put(i, converters[i].convert(row.getField(columns[i])));
        }
        return record;
    }
}

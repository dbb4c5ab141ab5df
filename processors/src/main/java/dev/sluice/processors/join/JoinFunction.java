package dev.sluice.processors.join;

import dev.sluice.schemas.AvroSchemas;
import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The stateful heart of the {@code join} processor (semantics in the package documentation). Keyed
 * by join value ({@link JoinKeys}); per join value it keeps the latest left row per left Kafka key
 * and the latest right row, and turns every change on either side into changes of the output rows,
 * keyed by the left records' Kafka keys.
 *
 * <p>Records are brought into their input's declared schema on arrival (by field name, if they
 * carry another one), so state holds only declared-schema values and building an output never
 * fails. A record that cannot be brought into it, or a left record without a Kafka key, is
 * dead-lettered before any state changes.
 */
final class JoinFunction
        extends KeyedCoProcessFunction<String, SluiceRecord, SluiceRecord, SluiceRecord> {
    private static final long serialVersionUID = 1L;

    /** State: the latest left row per left Kafka key (Base64), of the current join value. */
    static final String LEFT_ROWS = "left-rows";

    /** State: the latest right row of the current join value. */
    static final String RIGHT_ROW = "right-row";

    /** State (inner joins): the left Kafka keys whose current output row is a joined row. */
    static final String LEFT_EMITTED = "left-emitted";

    private final String nodeId;
    private final String leftId;
    private final String rightId;
    private final boolean leftJoin;
    private final String leftSchemaJson;
    private final String rightSchemaJson;
    private final String outputSchemaJson;
    private final Duration ttl;

    private transient Side left;
    private transient Side right;
    private transient Schema output;
    private transient MapState<String, SluiceRecord> leftRows;
    private transient ValueState<SluiceRecord> rightRow;
    private transient MapState<String, Boolean> emitted;
    private transient Counter deadLettered;

    /**
     * @param nodeId the join's node id (dead letters name it)
     * @param leftJoin true for a left join, false for an inner join
     * @param ttl how long state lives after its last write, or null to keep it
     */
    JoinFunction(
            String nodeId,
            String leftId,
            String rightId,
            boolean leftJoin,
            String leftSchemaJson,
            String rightSchemaJson,
            String outputSchemaJson,
            Duration ttl) {
        this.nodeId = nodeId;
        this.leftId = leftId;
        this.rightId = rightId;
        this.leftJoin = leftJoin;
        this.leftSchemaJson = leftSchemaJson;
        this.rightSchemaJson = rightSchemaJson;
        this.outputSchemaJson = outputSchemaJson;
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        Schema leftSchema = AvroSchemas.parse(leftSchemaJson);
        Schema rightSchema = AvroSchemas.parse(rightSchemaJson);
        left = new Side(leftId, leftSchema);
        right = new Side(rightId, rightSchema);
        output = AvroSchemas.parse(outputSchemaJson);

        MapStateDescriptor<String, SluiceRecord> leftRowsDescriptor =
                new MapStateDescriptor<>(
                        LEFT_ROWS, Types.STRING, new SluiceRecordTypeInfo(leftSchema));
        ValueStateDescriptor<SluiceRecord> rightRowDescriptor =
                new ValueStateDescriptor<>(RIGHT_ROW, new SluiceRecordTypeInfo(rightSchema));
        MapStateDescriptor<String, Boolean> emittedDescriptor =
                new MapStateDescriptor<>(LEFT_EMITTED, Types.STRING, Types.BOOLEAN);
        if (ttl != null) {
            StateTtlConfig ttlConfig =
                    StateTtlConfig.newBuilder(ttl)
                            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                            .build();
            for (StateDescriptor<?, ?> d :
                    List.of(leftRowsDescriptor, rightRowDescriptor, emittedDescriptor)) {
                d.enableTimeToLive(ttlConfig);
            }
        }
        leftRows = getRuntimeContext().getMapState(leftRowsDescriptor);
        rightRow = getRuntimeContext().getState(rightRowDescriptor);
        emitted = getRuntimeContext().getMapState(emittedDescriptor);
        deadLettered = getRuntimeContext().getMetricGroup().counter("sluiceDeadLetters");
    }

    @Override
    public void processElement1(SluiceRecord record, Context ctx, Collector<SluiceRecord> out)
            throws Exception {
        if (record.value() == null) {
            if (JoinMoves.retractedJoinKey(record) != null && record.key() != null) {
                // The row moved to another join value: forget it here; its output is replaced
                // under its key by what the new value emits.
                String rowKey = JoinKeys.rowKey(record.key());
                boolean hadOutput = emitted.contains(rowKey);
                leftRows.remove(rowKey);
                emitted.remove(rowKey);
                if (hadOutput && JoinMoves.deletesOutput(record)) {
                    // An inner join's row lost its join value: nothing replaces its output.
                    out.collect(output(record, record.key(), null));
                }
            }
            return; // a tombstone carries no join value; the CDC delete before it did the work
        }
        byte[] key = record.key();
        GenericRecord value;
        try {
            if (key == null) {
                throw new IllegalArgumentException(
                        "a record of '"
                                + leftId
                                + "', the left input of join '"
                                + nodeId
                                + "', has no Kafka key; the join's output is keyed by the left"
                                + " record's key");
            }
            value = left.align(record.value());
        } catch (IllegalArgumentException e) {
            deadLetter(ctx, record, e);
            return;
        }
        String joinKey = ctx.getCurrentKey();
        boolean hasJoinValue = JoinKeys.hasValue(joinKey);
        if (left.isDelete(value)) {
            if (hasJoinValue) {
                String rowKey = JoinKeys.rowKey(key);
                leftRows.remove(rowKey);
                emitted.remove(rowKey);
            }
            out.collect(output(record, key, null));
            return;
        }
        if (!hasJoinValue) {
            if (leftJoin) {
                out.collect(output(record, key, joined(value, null)));
            }
            return;
        }
        String rowKey = JoinKeys.rowKey(key);
        leftRows.put(rowKey, SluiceRecord.of(key, value, record.timestamp()));
        SluiceRecord match = rightRow.value();
        if (match != null) {
            out.collect(output(record, key, joined(value, match.value())));
            if (!leftJoin) {
                emitted.put(rowKey, Boolean.TRUE);
            }
        } else if (leftJoin) {
            out.collect(output(record, key, joined(value, null)));
        } else if (emitted.contains(rowKey)) {
            emitted.remove(rowKey);
            out.collect(output(record, key, null));
        }
    }

    @Override
    public void processElement2(SluiceRecord record, Context ctx, Collector<SluiceRecord> out)
            throws Exception {
        if (record.value() == null) {
            return;
        }
        GenericRecord value;
        try {
            value = right.align(record.value());
        } catch (IllegalArgumentException e) {
            deadLetter(ctx, record, e);
            return;
        }
        if (!JoinKeys.hasValue(ctx.getCurrentKey())) {
            return; // a right row without a join value matches nothing
        }
        if (right.isDelete(value)) {
            rightRow.clear();
            for (Map.Entry<String, SluiceRecord> row : leftRows.entries()) {
                SluiceRecord l = row.getValue();
                if (leftJoin) {
                    out.collect(output(record, l.key(), joined(l.value(), null)));
                } else if (emitted.contains(row.getKey())) {
                    out.collect(output(record, l.key(), null));
                }
            }
            emitted.clear();
            return;
        }
        rightRow.update(SluiceRecord.of(record.key(), value, record.timestamp()));
        for (Map.Entry<String, SluiceRecord> row : leftRows.entries()) {
            SluiceRecord l = row.getValue();
            out.collect(output(record, l.key(), joined(l.value(), value)));
            if (!leftJoin) {
                emitted.put(row.getKey(), Boolean.TRUE);
            }
        }
    }

    /**
     * The output row of a left row and its right row (null: right fields null). Rows may come from
     * state written under an earlier schema of their input (the pipeline was upgraded for a schema
     * change): they are aligned to the current input schema by field name first.
     */
    private GenericRecord joined(GenericRecord l, GenericRecord r) {
        l = left.align(l);
        r = r == null ? null : right.align(r);
        GenericData.Record joined = new GenericData.Record(output);
        int n = left.fields;
        for (int i = 0; i < n; i++) {
            joined.put(i, l.get(i));
        }
        for (int j = 0; j < right.fields; j++) {
            joined.put(n + j, r == null ? null : r.get(j));
        }
        return joined;
    }

    /** An output keyed by a left key, with the triggering record's time and origin. */
    private static SluiceRecord output(SluiceRecord trigger, byte[] key, GenericRecord value) {
        return SluiceRecord.of(
                key,
                value,
                trigger.timestamp(),
                trigger.sourceTopic(),
                trigger.sourcePartition(),
                trigger.sourceOffset(),
                trigger.sourceKey(),
                trigger.sourceValue(),
                trigger.replays());
    }

    private void deadLetter(Context ctx, SluiceRecord record, Exception e) {
        if (deadLettered != null) {
            deadLettered.inc();
        }
        ctx.output(DeadLetters.TAG, DeadLetter.of(record, nodeId, e));
    }

    /**
     * One input: its declared schema, where its CDC {@code __op} is, and how a value of another
     * schema is brought into the declared one (cached for the last such schema).
     */
    private static final class Side {
        final String inputId;
        final Schema declared;
        final int fields;
        final int opPosition;
        private Schema other;
        private int[] otherPositions;

        Side(String inputId, Schema declared) {
            this.inputId = inputId;
            this.declared = declared;
            this.fields = declared.getFields().size();
            Schema.Field op = declared.getField("__op");
            Schema.Type opType = op == null ? null : AvroSchemas.nonNull(op.schema()).getType();
            this.opPosition =
                    opType == Schema.Type.STRING || opType == Schema.Type.ENUM ? op.pos() : -1;
        }

        /** Whether an (aligned) value is a CDC delete: {@code __op} is "d". */
        boolean isDelete(GenericRecord value) {
            if (opPosition < 0) {
                return false;
            }
            Object op = value.get(opPosition);
            return op != null && "d".equals(op.toString());
        }

        /**
         * The value in the declared schema: itself when it has it, else a copy by field name.
         *
         * @throws IllegalArgumentException if it lacks a required field or a field has another type
         */
        GenericRecord align(GenericRecord value) {
            Schema s = value.getSchema();
            if (s == declared) {
                return value;
            }
            if (s != other) {
                otherPositions = positions(s);
                other = s;
            }
            if (otherPositions == null) {
                return value;
            }
            GenericData.Record aligned = new GenericData.Record(declared);
            List<Schema.Field> declaredFields = declared.getFields();
            for (int i = 0; i < fields; i++) {
                Object v = otherPositions[i] < 0 ? null : value.get(otherPositions[i]);
                if (v == null && !AvroSchemas.isNullable(declaredFields.get(i).schema())) {
                    throw new IllegalArgumentException(
                            "field '"
                                    + declaredFields.get(i).name()
                                    + "' of a record from '"
                                    + inputId
                                    + "' is null, but the join's input schema requires a value");
                }
                aligned.put(i, v);
            }
            return aligned;
        }

        /** Declared position to position in {@code s} (-1: absent), or null if s is declared. */
        private int[] positions(Schema s) {
            if (s.equals(declared)) {
                return null;
            }
            int[] positions = new int[fields];
            for (Schema.Field d : declared.getFields()) {
                Schema.Field f = s.getField(d.name());
                if (f == null) {
                    if (!AvroSchemas.isNullable(d.schema())) {
                        throw new IllegalArgumentException(
                                "a record of schema "
                                        + s.getFullName()
                                        + " from '"
                                        + inputId
                                        + "' lacks field '"
                                        + d.name()
                                        + "', which the join's input schema requires");
                    }
                    positions[d.pos()] = -1;
                    continue;
                }
                Schema want = AvroSchemas.nonNull(d.schema());
                Schema got = AvroSchemas.nonNull(f.schema());
                if (!want.equals(got)) {
                    throw new IllegalArgumentException(
                            "field '"
                                    + d.name()
                                    + "' of a record from '"
                                    + inputId
                                    + "' is "
                                    + JoinSchemas.describe(got)
                                    + ", but the join's input schema has "
                                    + JoinSchemas.describe(want));
                }
                positions[d.pos()] = f.pos();
            }
            return positions;
        }
    }
}

package dev.sluice.processors.join;

import dev.sluice.sdk.SluiceRecord;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the join's left state right when a left row changes its join value: the join is partitioned
 * by join value, so the row's entry under its old value cannot be reached from the new one. This
 * step, keyed by the left row's Kafka key, remembers each row's current join value and, when it
 * changes, sends a retraction to the old value first: a record without a value that names the old
 * join value, which the join reads as "forget this row here, emit nothing" (the row's output is
 * replaced under its key by what the new value emits).
 */
final class JoinMoves extends KeyedProcessFunction<String, SluiceRecord, SluiceRecord> {
    private static final long serialVersionUID = 1L;

    /** Source-topic marker of a retraction; what follows it is the old join value's key. */
    static final String RETRACT = "\u0000sluice-join-retract:";

    /**
     * Marker of a retraction whose row now has no join value at all: nothing else will replace its
     * output, so an inner join deletes it.
     */
    static final String RETRACT_AND_DELETE = "\u0000sluice-join-retract-delete:";

    private final JoinKeySelector joinValue;
    private final Duration ttl;
    private transient ValueState<String> current;

    JoinMoves(String leftField, Duration ttl) {
        this.joinValue = new JoinKeySelector(leftField);
        this.ttl = ttl;
    }

    /** Keys left rows by their Kafka key; rows without one share a key and are not tracked. */
    static KeySelector<SluiceRecord, String> byRowKey() {
        return r -> r.key() == null ? "" : JoinKeys.rowKey(r.key());
    }

    /** A retraction of the row with {@code key} under join value {@code joinKey}. */
    static SluiceRecord retraction(byte[] key, String joinKey, long timestamp) {
        return SluiceRecord.of(key, null, timestamp, RETRACT + joinKey, -1, -1L, null, null);
    }

    /** A retraction of a row that no longer has a join value: its output goes too. */
    static SluiceRecord retractionAndDelete(byte[] key, String joinKey, long timestamp) {
        return SluiceRecord.of(
                key, null, timestamp, RETRACT_AND_DELETE + joinKey, -1, -1L, null, null);
    }

    /** The join value a retraction names, or {@code null} for any other record. */
    static String retractedJoinKey(SluiceRecord record) {
        String topic = record.sourceTopic();
        if (record.value() != null || topic == null) {
            return null;
        }
        if (topic.startsWith(RETRACT)) {
            return topic.substring(RETRACT.length());
        }
        if (topic.startsWith(RETRACT_AND_DELETE)) {
            return topic.substring(RETRACT_AND_DELETE.length());
        }
        return null;
    }

    /** Whether a retraction also deletes the row's output. */
    static boolean deletesOutput(SluiceRecord record) {
        String topic = record.sourceTopic();
        return topic != null && topic.startsWith(RETRACT_AND_DELETE);
    }

    @Override
    public void open(OpenContext context) {
        ValueStateDescriptor<String> descriptor =
                new ValueStateDescriptor<>("left-join-value", Types.STRING);
        if (ttl != null) {
            descriptor.enableTimeToLive(
                    StateTtlConfig.newBuilder(ttl)
                            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                            .build());
        }
        current = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(SluiceRecord record, Context ctx, Collector<SluiceRecord> out)
            throws Exception {
        if (record.key() == null || record.value() == null) {
            out.collect(record); // the join dead-letters key-less rows and skips tombstones
            return;
        }
        String now = joinValue.getKey(record);
        String before = current.value();
        if (before != null && !before.equals(now)) {
            out.collect(
                    JoinKeys.hasValue(now)
                            ? retraction(record.key(), before, record.timestamp())
                            : retractionAndDelete(record.key(), before, record.timestamp()));
        }
        if (JoinKeys.hasValue(now) && !isDelete(record)) {
            current.update(now);
        } else {
            current.clear();
        }
        out.collect(record);
    }

    private static boolean isDelete(SluiceRecord record) {
        org.apache.avro.Schema.Field op = record.value().getSchema().getField("__op");
        if (op == null) {
            return false;
        }
        Object v = record.value().get(op.pos());
        return v != null && "d".equals(v.toString());
    }
}

package dev.sluice.processors.join;

import dev.sluice.sdk.SluiceRecord;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Partitions one join input by its join field ({@link JoinKeys#of}). It never throws — a failing
 * key selector fails the job in the upstream task — so records it cannot key (tombstones, records
 * whose schema lacks the field) get {@link JoinKeys#NO_VALUE} and the join function decides what to
 * do with them. Holds only the field name; its position is looked up once per value schema.
 */
final class JoinKeySelector implements KeySelector<SluiceRecord, String> {
    private static final long serialVersionUID = 1L;

    private final String field;

    private transient Schema schema;
    private transient int position;

    JoinKeySelector(String field) {
        this.field = field;
    }

    /** The join field this selector reads. */
    String field() {
        return field;
    }

    @Override
    public String getKey(SluiceRecord record) {
        GenericRecord value = record.value();
        if (value == null) {
            String retracted = JoinMoves.retractedJoinKey(record);
            return retracted != null ? retracted : JoinKeys.NO_VALUE;
        }
        Schema s = value.getSchema();
        if (s != schema) {
            Schema.Field f = s.getField(field);
            position = f == null ? -1 : f.pos();
            schema = s;
        }
        return position < 0 ? JoinKeys.NO_VALUE : JoinKeys.of(value.get(position));
    }
}

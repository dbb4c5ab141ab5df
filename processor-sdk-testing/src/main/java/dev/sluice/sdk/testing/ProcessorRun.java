package dev.sluice.sdk.testing;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.annotation.PublicEvolving;

/**
 * What one run of a processor produced: its output records in the order it emitted them, and the
 * records it dead-lettered. Tests assert on these instead of reading Kafka topics.
 */
@PublicEvolving
public final class ProcessorRun {
    private final List<SluiceRecord> outputRecords;
    private final List<DeadLetter> deadLetters;

    ProcessorRun(List<SluiceRecord> outputRecords, List<DeadLetter> deadLetters) {
        this.outputRecords = Collections.unmodifiableList(new ArrayList<>(outputRecords));
        this.deadLetters = Collections.unmodifiableList(new ArrayList<>(deadLetters));
    }

    /** The output values, in order; a tombstone's value is {@code null}. */
    public List<GenericRecord> outputs() {
        return values(outputRecords);
    }

    /** The output records with key, timestamp and origin, in order. */
    public List<SluiceRecord> outputRecords() {
        return outputRecords;
    }

    /** The dead letters, in the order the processor emitted them. */
    public List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    static List<GenericRecord> values(List<SluiceRecord> records) {
        List<GenericRecord> values = new ArrayList<>(records.size());
        records.forEach(r -> values.add(r.value()));
        return Collections.unmodifiableList(values);
    }

    @Override
    public String toString() {
        return "ProcessorRun{outputs=" + outputs() + ", deadLetters=" + deadLetters + "}";
    }
}

package dev.sluice.sdk.testing;

import dev.sluice.sdk.SluiceRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/** Gives plain values the shape of records read from a topic, so dead letters name their origin. */
final class InputRecords {

    /** Value {@code offset} of input {@code inputId}: no key, timestamp = offset. */
    static SluiceRecord of(String inputId, long offset, GenericRecord value) {
        return SluiceRecord.of(null, value, offset, inputId, 0, offset, null, null);
    }

    static List<SluiceRecord> of(String inputId, List<GenericRecord> values) {
        List<SluiceRecord> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            out.add(of(inputId, i, values.get(i)));
        }
        return out;
    }

    private InputRecords() {}
}

package dev.sluice.processors.join;

import static dev.sluice.processors.join.JoinFixtures.MOVIES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The step before the join that retracts a left row's entry when its join value changes. */
class JoinMovesTest {
    private static final byte[] KEY = "movie-1".getBytes(StandardCharsets.UTF_8);

    private static SluiceRecord movie(long director, String op) {
        GenericRecord v = new GenericData.Record(MOVIES);
        for (org.apache.avro.Schema.Field f : MOVIES.getFields()) {
            v.put(f.name(), null);
        }
        v.put("id", 1L);
        v.put("title", "Heat");
        v.put("director_id", director);
        v.put("__op", op);
        return SluiceRecord.of(KEY, v, 100L);
    }

    @Test
    void aChangedJoinValueSendsARetractionToTheOldValueFirst() throws Exception {
        try (var harness =
                new KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord>(
                        new KeyedProcessOperator<>(new JoinMoves("director_id", null)),
                        JoinMoves.byRowKey(),
                        Types.STRING)) {
            harness.setup(
                    new SluiceRecordTypeInfo(MOVIES).createSerializer(new SerializerConfigImpl()));
            harness.open();
            harness.processElement(movie(7, "c"), 100L);
            harness.processElement(movie(7, "u"), 100L);
            harness.processElement(movie(8, "u"), 100L);
            harness.processElement(movie(8, "d"), 100L);
            harness.processElement(movie(9, "c"), 100L);
            List<SluiceRecord> out = harness.extractOutputValues();

            assertThat(out).hasSize(6);
            assertThat(JoinMoves.retractedJoinKey(out.get(0))).isNull();
            assertThat(JoinMoves.retractedJoinKey(out.get(1))).isNull();
            // 7 → 8: the retraction of the entry under 7 comes before the moved row
            assertThat(JoinMoves.retractedJoinKey(out.get(2))).isEqualTo("=7");
            assertThat(out.get(2).key()).isEqualTo(KEY);
            assertThat(new JoinKeySelector("director_id").getKey(out.get(2))).isEqualTo("=7");
            assertThat(out.get(3).value().get("director_id")).isEqualTo(8L);
            // a delete forgets the row: a new row afterwards retracts nothing
            assertThat(out.get(4).value().get("__op")).isEqualTo("d");
            assertThat(out.get(5).value().get("director_id")).isEqualTo(9L);
        }
    }
}

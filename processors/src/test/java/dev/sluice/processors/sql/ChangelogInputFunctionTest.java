package dev.sluice.processors.sql;

import static dev.sluice.processors.sql.SqlFixtures.ORDER_CHANGES;
import static dev.sluice.processors.sql.SqlFixtures.change;
import static dev.sluice.processors.sql.SqlFixtures.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** How changelog records become a full changelog of rows (the form Flink SQL consumes). */
class ChangelogInputFunctionTest {

    /** An upsert topic's values: no {@code __op}, a tombstone deletes. */
    private static final Schema UPSERT =
            SqlFixtures.parse(
                    "{\"type\":\"record\",\"name\":\"Balance\",\"fields\":["
                            + "{\"name\":\"account\",\"type\":\"string\"},"
                            + "{\"name\":\"balance\",\"type\":\"long\"}]}");

    private static GenericRecord balance(String account, long value) {
        GenericData.Record r = new GenericData.Record(UPSERT);
        r.put("account", account);
        r.put("balance", value);
        return r;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, Row> harness(
            InputTable table) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, Row> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ChangelogInputFunction("sums", table)),
                        new ChangelogInputFunction.ByKey(),
                        Types.STRING);
        harness.open();
        return harness;
    }

    private static List<String> rows(KeyedOneInputStreamOperatorTestHarness<String, ?, Row> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord) {
                out.add(String.valueOf(((StreamRecord<?>) o).getValue()));
            }
        }
        return out;
    }

    @Test
    void testUpsertValuesBecomeInsertsAndUpdatesAndTombstonesDeleteTheKeptRow() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, Row> h =
                harness(InputTable.of("balances", UPSERT, null, true, true));

        h.processElement(keyed("balances", 0, "a", balance("a", 1)), 0);
        h.processElement(keyed("balances", 1, "a", balance("a", 5)), 1);
        h.processElement(keyed("balances", 2, "a", balance("a", 5)), 2);
        h.processElement(keyed("balances", 3, "a", null), 3);
        h.processElement(keyed("balances", 4, "b", null), 4);
        h.processElement(keyed("balances", 5, null, balance("x", 9)), 5);

        assertThat(rows(h))
                .containsExactly(
                        "+I[a, 1, [97]]",
                        "-U[a, 1, [97]]",
                        "+U[a, 5, [97]]",
                        "-D[a, 5, [97]]",
                        "+I[x, 9, null]");
        h.close();
    }

    @Test
    void testCdcDeletesDeleteTheKeptRowAndTheTombstoneAfterThemIsSkipped() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, Row> h =
                harness(InputTable.of("changes", ORDER_CHANGES, null, false, true));

        h.processElement(keyed("changes", 0, "1", change("r", 1, "ann", 10)), 0);
        h.processElement(keyed("changes", 1, "1", change("d", 1, "ann", 10)), 1);
        h.processElement(keyed("changes", 2, "1", null), 2);
        h.processElement(keyed("changes", 3, "2", change("d", 2, "bob", 3)), 3);
        h.processElement(keyed("changes", 4, null, change("d", 3, "cy", 4)), 4);

        assertThat(rows(h))
                .containsExactly("+I[1, ann, 10.0, r]", "-D[1, ann, 10.0, r]", "-D[3, cy, 4.0, d]");
        h.close();
    }

    @Test
    void testAValueThatCannotBecomeARowIsDeadLettered() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, Row> h =
                harness(InputTable.of("changes", ORDER_CHANGES, null, false, true));

        h.processElement(keyed("changes", 7, "1", change("c", 1, null, 10)), 0);

        assertThat(rows(h)).isEmpty();
        assertThat(h.getSideOutput(DeadLetters.TAG))
                .extracting(r -> r.getValue().processorId, r -> r.getValue().sourceOffset)
                .containsExactly(tuple("sums", 7L));
        h.close();
    }
}

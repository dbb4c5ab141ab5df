package dev.sluice.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcSplitsTest {

    @Test
    void integerRangesAreContiguousAndTheFirstTakesTheNulls() {
        assertThat(describe(JdbcSplits.ranges(dec("5"), dec("20"), 2, true)))
                .containsExactly("range-0[5, 13) +NULL", "range-1[13, 20]");
        assertThat(describe(JdbcSplits.ranges(dec("0"), dec("9"), 4, true)))
                .containsExactly(
                        "range-0[0, 2) +NULL", "range-1[2, 5)", "range-2[5, 7)", "range-3[7, 9]");
    }

    @Test
    void fewerValuesThanReadersMakeOneRangePerValue() {
        assertThat(describe(JdbcSplits.ranges(dec("0"), dec("2"), 8, true)))
                .containsExactly("range-0[0, 1) +NULL", "range-1[1, 2)", "range-2[2, 2]");
        assertThat(describe(JdbcSplits.ranges(dec("7"), dec("7"), 3, true)))
                .containsExactly("range-0[7, 7] +NULL");
    }

    @Test
    void theWholeLongRangeDoesNotOverflow() {
        assertThat(
                        describe(
                                JdbcSplits.ranges(
                                        BigDecimal.valueOf(Long.MIN_VALUE),
                                        BigDecimal.valueOf(Long.MAX_VALUE),
                                        2,
                                        true)))
                .containsExactly(
                        "range-0[-9223372036854775808, 0) +NULL",
                        "range-1[0, 9223372036854775807]");
    }

    @Test
    void decimalRangesSplitTheIntervalEvenly() {
        assertThat(describe(JdbcSplits.ranges(dec("0.5"), dec("2.0"), 3, false)))
                .containsExactly(
                        "range-0[0.5, 1.0000000) +NULL",
                        "range-1[1.0000000, 1.5000000)",
                        "range-2[1.5000000, 2.0]");
        assertThat(describe(JdbcSplits.ranges(dec("1.5"), dec("1.5"), 3, false)))
                .containsExactly("range-0[1.5, 1.5] +NULL");
    }

    @Test
    void aColumnWithoutValuesReadsOnlyTheNulls() {
        assertThat(describe(JdbcSplits.ranges(null, null, 4, true))).containsExactly("nulls+NULL");
    }

    @Test
    void theSelectOfASplitBindsItsBounds() {
        JdbcSourceColumn qty =
                new JdbcSourceColumn("qty", "int4", JdbcSourceColumn.Kind.INT, 10, 0, true);
        JdbcSourceColumn name =
                new JdbcSourceColumn("name", "text", JdbcSourceColumn.Kind.STRING, 0, 0, true);
        JdbcQuery query =
                JdbcQuery.ofTable("\"public\".\"items\"")
                        .selecting(JdbcDialect.POSTGRES, List.of(qty, name))
                        .splitBy(JdbcDialect.POSTGRES, qty);
        List<JdbcSplit> splits = JdbcSplits.ranges(dec("1"), dec("9"), 2, true);

        assertThat(query.bounds())
                .isEqualTo("SELECT MIN(\"qty\"), MAX(\"qty\") FROM \"public\".\"items\"");
        assertThat(query.select(splits.get(0)))
                .isEqualTo(
                        "SELECT \"qty\", \"name\" FROM \"public\".\"items\" WHERE (\"qty\" >= ?"
                                + " AND \"qty\" < ?) OR \"qty\" IS NULL");
        assertThat(query.select(splits.get(1)))
                .isEqualTo(
                        "SELECT \"qty\", \"name\" FROM \"public\".\"items\" WHERE (\"qty\" >= ?"
                                + " AND \"qty\" <= ?)");
        assertThat(query.select(JdbcSplit.nullsOnly()))
                .isEqualTo(
                        "SELECT \"qty\", \"name\" FROM \"public\".\"items\" WHERE \"qty\" IS NULL");
        assertThat(
                        JdbcQuery.ofQuery("SELECT 1 AS x")
                                .selecting(
                                        JdbcDialect.MARIADB,
                                        List.of(
                                                new JdbcSourceColumn(
                                                        "x",
                                                        "int",
                                                        JdbcSourceColumn.Kind.INT,
                                                        1,
                                                        0,
                                                        false)))
                                .select(JdbcSplit.whole()))
                .isEqualTo("SELECT `x` FROM (SELECT 1 AS x) sluice_q");
    }

    @Test
    void splitsAndEnumeratorStatesSurviveTheirSerializers() throws Exception {
        List<JdbcSplit> splits =
                new ArrayList<>(JdbcSplits.ranges(dec("0.5"), dec("2.0"), 3, false));
        splits.add(JdbcSplit.whole());
        splits.add(JdbcSplit.nullsOnly());
        for (JdbcSplit split : splits) {
            byte[] bytes = JdbcSplit.Serializer.INSTANCE.serialize(split);
            assertThat(JdbcSplit.Serializer.INSTANCE.deserialize(1, bytes)).isEqualTo(split);
        }
        JdbcEnumeratorState state = new JdbcEnumeratorState(true, splits);
        JdbcEnumeratorState copy =
                JdbcEnumeratorState.Serializer.INSTANCE.deserialize(
                        1, JdbcEnumeratorState.Serializer.INSTANCE.serialize(state));
        assertThat(copy.planned()).isTrue();
        assertThat(copy.pending()).isEqualTo(splits);
    }

    @Test
    void aTrailingSemicolonIsDroppedFromAQuery() {
        assertThat(JdbcSourceFactory.trimQuery("  SELECT 1 ; ;\n")).isEqualTo("SELECT 1");
    }

    private static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }

    private static List<String> describe(List<JdbcSplit> splits) {
        List<String> out = new ArrayList<>();
        splits.forEach(s -> out.add(s.toString()));
        return out;
    }
}

package dev.sluice.connectors.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class PartitionSpecsTest {

    private static final org.apache.iceberg.Schema SCHEMA =
            new org.apache.iceberg.Schema(
                    Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "country", Types.StringType.get()),
                    Types.NestedField.optional(3, "ts", Types.TimestampType.withZone()));

    @Test
    void columnsAndTransformsBecomeASpec() {
        PartitionSpec spec =
                PartitionSpecs.parse(
                        List.of("country", "day(ts)", "bucket(16, id)", " truncate( 2 , country )"),
                        SCHEMA);

        assertThat(spec.fields())
                .extracting(f -> f.name() + "=" + f.transform())
                .containsExactly(
                        "country=identity",
                        "ts_day=day",
                        "id_bucket=bucket[16]",
                        "country_trunc=truncate[2]");
        assertThat(PartitionSpecs.sourceColumns(List.of("country", "day(ts)", "bucket(4, id)")))
                .containsExactly("country", "ts", "id");
    }

    @Test
    void unknownColumnsAndMalformedEntriesAreRefusedByEntry() {
        assertThatThrownBy(() -> PartitionSpecs.parse(List.of("nope"), SCHEMA))
                .hasMessageStartingWith("'nope': Cannot find source column: nope");
        assertThatThrownBy(() -> PartitionSpecs.parse(List.of("week(ts)"), SCHEMA))
                .hasMessage(
                        "'week(ts)': expected a column name or year(col), month(col), day(col),"
                                + " hour(col), bucket(N, col), truncate(N, col)");
    }
}

package dev.sluice.connectors.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CdcSplitSerializerTest {

    @Test
    void testOffsetValuesKeepTheirJavaTypes() throws IOException {
        Map<String, Object> offset = new LinkedHashMap<>();
        offset.put("lsn", 28877000L);
        offset.put("row", 3);
        offset.put("last_snapshot_record", true);
        offset.put("file", "mariadb-bin.000003");
        offset.put("ratio", 0.5);
        offset.put("gtids", null);
        CdcSplit split =
                new CdcSplit(
                        Map.of("server", "sluice_shop_x"),
                        offset,
                        List.of("{\"ddl\":\"CREATE TABLE é\"}"));

        CdcSplitSerializer serializer = CdcSplitSerializer.INSTANCE;
        CdcSplit back =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(split));

        assertThat(back).isEqualTo(split);
        assertThat(back.offset().get("lsn")).isInstanceOf(Long.class);
        assertThat(back.offset().get("row")).isInstanceOf(Integer.class);
        assertThat(back.offset().get("last_snapshot_record")).isEqualTo(true);
        assertThat(back.offset()).containsKey("gtids");
        assertThat(back.history()).containsExactly("{\"ddl\":\"CREATE TABLE é\"}");
    }

    @Test
    void testFreshSplitAndEnumeratorState() throws IOException {
        CdcSplitSerializer serializer = CdcSplitSerializer.INSTANCE;
        CdcSplit fresh =
                serializer.deserialize(
                        serializer.getVersion(), serializer.serialize(CdcSplit.fresh()));
        assertThat(fresh.offset()).isNull();
        assertThat(fresh.partition()).isNull();
        assertThat(fresh.splitId()).isEqualTo("cdc");

        CdcEnumeratorStateSerializer state = new CdcEnumeratorStateSerializer();
        assertThat(state.deserialize(1, state.serialize(List.of(CdcSplit.fresh()))))
                .containsExactly(CdcSplit.fresh());
        assertThat(state.deserialize(1, state.serialize(List.of()))).isEmpty();
        assertThatThrownBy(() -> serializer.deserialize(3, new byte[0]))
                .hasMessageContaining("unknown CDC split version 3");
    }

    @Test
    void testCapturedChangesUseFlinksPojoSerializerNotKryo() {
        assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(CapturedChange.class))
                .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
    }

    @Test
    void testHandoverWakesTheReaderAndReportsFailures() throws InterruptedException {
        HandoverQueue queue = new HandoverQueue(2);
        CompletableFuture<Void> available = queue.availability();
        assertThat(available).isNotDone();

        queue.put(new HandoverQueue.Element(List.of(), Map.of(), Map.of("lsn", 1L)));
        assertThat(available).isDone();
        assertThat(queue.poll().offset.get("lsn")).isEqualTo(1L);
        assertThat(queue.poll()).isNull();

        CompletableFuture<Void> next = queue.availability();
        assertThat(next).isNotDone();
        IllegalStateException failure = new IllegalStateException("gone");
        queue.fail(failure);
        assertThat(next).isDone();
        assertThat(queue.failure()).isSameAs(failure);
    }
}

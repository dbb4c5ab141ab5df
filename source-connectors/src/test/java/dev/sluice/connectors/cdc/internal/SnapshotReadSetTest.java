package dev.sluice.connectors.cdc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SnapshotReadSetTest {

    @Test
    void testAddContainsGrowAndClear() {
        SnapshotReadSet set = new SnapshotReadSet();
        SplittableRandom random = new SplittableRandom(42);
        long[] hashes = new long[100_000];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = random.nextLong();
            assertThat(set.add(hashes[i])).isTrue();
        }
        assertThat(set.add(0L)).isTrue();
        assertThat(set.add(0L)).isFalse();
        assertThat(set.add(hashes[7])).isFalse();
        assertThat(set.size()).isEqualTo(hashes.length + 1);
        for (long h : hashes) {
            assertThat(set.contains(h)).isTrue();
        }
        assertThat(set.contains(0L)).isTrue();
        assertThat(set.contains(random.nextLong())).isFalse();

        long[] stored = set.toArray();
        long[] expected = Arrays.copyOf(hashes, hashes.length + 1);
        Arrays.sort(stored);
        Arrays.sort(expected);
        assertThat(stored).containsExactly(expected);
        SnapshotReadSet restored = SnapshotReadSet.of(set.toArray());
        assertThat(restored.size()).isEqualTo(set.size());
        assertThat(restored.contains(hashes[99_999])).isTrue();
        assertThat(restored.add(hashes[0])).isFalse();

        set.clear();
        assertThat(set.isEmpty()).isTrue();
        assertThat(set.contains(hashes[0])).isFalse();
        assertThat(set.contains(0L)).isFalse();
        assertThat(set.toArray()).isEmpty();
    }

    @Test
    void testSplitCarriesTheSetThroughTheSerializerAndReadsVersionOne() throws IOException {
        long[] reads = {5L, -1L, 0L, Long.MIN_VALUE};
        CdcSplit split =
                new CdcSplit(
                        Map.of("server", "sluice_shop_x"),
                        Map.of("lsn", 28877000L, "snapshot", "INITIAL"),
                        List.of(),
                        reads);
        CdcSplitSerializer serializer = CdcSplitSerializer.INSTANCE;
        assertThat(serializer.getVersion()).isEqualTo(2);
        CdcSplit back = serializer.deserialize(2, serializer.serialize(split));
        assertThat(back).isEqualTo(split);
        assertThat(back.snapshotReads()).containsExactly(5L, -1L, 0L, Long.MIN_VALUE);

        // Version 1 bytes (no set): partition absent, offset {lsn=7L}, one history record.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(-1);
        out.writeInt(1);
        out.writeUTF("lsn");
        out.writeByte(2);
        out.writeLong(7L);
        out.writeInt(1);
        byte[] record = "{\"ddl\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(record.length);
        out.write(record);
        out.flush();
        CdcSplit v1 = serializer.deserialize(1, bytes.toByteArray());
        assertThat(v1.partition()).isNull();
        assertThat(v1.offset()).containsExactly(Map.entry("lsn", 7L));
        assertThat(v1.history()).containsExactly("{\"ddl\":\"x\"}");
        assertThat(v1.snapshotReads()).isEmpty();
    }

    @Test
    void testSnapshotInProgressFollowsDebeziumOffsets() {
        assertThat(CdcSourceReader.snapshotInProgress(Map.of("lsn", 1L, "snapshot", "INITIAL")))
                .isTrue();
        assertThat(CdcSourceReader.snapshotInProgress(Map.of("snapshot", true))).isTrue();
        assertThat(
                        CdcSourceReader.snapshotInProgress(
                                Map.of(
                                        "snapshot",
                                        "INITIAL",
                                        "last_snapshot_record",
                                        true,
                                        "snapshot_completed",
                                        false)))
                .isFalse();
        assertThat(
                        CdcSourceReader.snapshotInProgress(
                                Map.of("snapshot", "INITIAL", "snapshot_completed", true)))
                .isFalse();
        assertThat(CdcSourceReader.snapshotInProgress(Map.of("lsn", 1L, "lsn_proc", 1L))).isFalse();
        assertThat(CdcSourceReader.snapshotInProgress(Map.of("snapshot", false))).isFalse();
    }
}

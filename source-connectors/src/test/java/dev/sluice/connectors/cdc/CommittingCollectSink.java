package dev.sluice.connectors.cdc;

import dev.sluice.connectors.cdc.internal.CapturedChange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A two-phase collecting sink for tests: what a checkpoint holds is published (to a static list per
 * sink name) only when the checkpoint completes, and each batch exactly once, like a transactional
 * Kafka writer. A failure after a checkpoint therefore shows exactly what a restored job would have
 * written twice or lost.
 */
final class CommittingCollectSink implements Sink<CapturedChange>, SupportsCommitter<byte[]> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, List<CapturedChange>> COMMITTED = new ConcurrentHashMap<>();
    private static final Set<String> BATCHES = ConcurrentHashMap.newKeySet();

    private final String name;

    CommittingCollectSink(String name) {
        this.name = name;
        COMMITTED.putIfAbsent(name, new CopyOnWriteArrayList<>());
    }

    /** What was committed so far under {@code name}. */
    static List<CapturedChange> committed(String name) {
        return new ArrayList<>(COMMITTED.getOrDefault(name, List.of()));
    }

    @Override
    public SinkWriter<CapturedChange> createWriter(WriterInitContext context) {
        return new Writer();
    }

    @Override
    public Committer<byte[]> createCommitter(CommitterInitContext context) {
        return new Committer<>() {
            @Override
            public void commit(Collection<CommitRequest<byte[]>> requests) throws IOException {
                for (CommitRequest<byte[]> request : requests) {
                    DataInputStream in =
                            new DataInputStream(new ByteArrayInputStream(request.getCommittable()));
                    String batch = in.readUTF();
                    if (!BATCHES.add(batch)) {
                        continue;
                    }
                    int n = in.readInt();
                    List<CapturedChange> out = COMMITTED.get(name);
                    for (int i = 0; i < n; i++) {
                        String topic = in.readUTF();
                        byte[] key = new byte[in.readInt()];
                        in.readFully(key);
                        int vlen = in.readInt();
                        byte[] value = null;
                        if (vlen >= 0) {
                            value = new byte[vlen];
                            in.readFully(value);
                        }
                        out.add(new CapturedChange(topic, key, value, in.readLong()));
                    }
                }
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public SimpleVersionedSerializer<byte[]> getCommittableSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(byte[] obj) {
                return obj;
            }

            @Override
            public byte[] deserialize(int version, byte[] serialized) {
                return serialized;
            }
        };
    }

    private static final class Writer implements CommittingSinkWriter<CapturedChange, byte[]> {
        private final List<CapturedChange> pending = new ArrayList<>();

        @Override
        public void write(CapturedChange element, Context context) {
            pending.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public Collection<byte[]> prepareCommit() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(UUID.randomUUID().toString());
            out.writeInt(pending.size());
            for (CapturedChange c : pending) {
                out.writeUTF(c.topic);
                out.writeInt(c.key.length);
                out.write(c.key);
                out.writeInt(c.value == null ? -1 : c.value.length);
                if (c.value != null) {
                    out.write(c.value);
                }
                out.writeLong(c.timestamp);
            }
            pending.clear();
            return List.of(bytes.toByteArray());
        }

        @Override
        public void close() {}
    }
}

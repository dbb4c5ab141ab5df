package dev.sluice.connectors.jdbc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * What the {@code jdbc} source's enumerator keeps: whether the run's splits were planned, and those
 * not yet handed to a reader.
 */
final class JdbcEnumeratorState {
    private final boolean planned;
    private final List<JdbcSplit> pending;

    JdbcEnumeratorState(boolean planned, List<JdbcSplit> pending) {
        this.planned = planned;
        this.pending = List.copyOf(pending);
    }

    boolean planned() {
        return planned;
    }

    List<JdbcSplit> pending() {
        return pending;
    }

    /** Version 1: the planned flag, then the pending splits. */
    static final class Serializer implements SimpleVersionedSerializer<JdbcEnumeratorState> {
        static final Serializer INSTANCE = new Serializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(JdbcEnumeratorState state) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            out.writeBoolean(state.planned);
            out.writeInt(state.pending.size());
            for (JdbcSplit split : state.pending) {
                JdbcSplit.Serializer.write(split, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public JdbcEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown JdbcEnumeratorState serializer version " + version);
            }
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            boolean planned = in.readBoolean();
            int n = in.readInt();
            List<JdbcSplit> pending = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                pending.add(JdbcSplit.Serializer.read(in));
            }
            return new JdbcEnumeratorState(planned, pending);
        }
    }
}

package dev.sluice.connectors.cdc.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Versioned bytes of the enumerator's state: the splits not assigned to a reader yet (the fresh
 * split before the reader registered; none afterwards, since an assigned split lives in the
 * reader's state). Version 1: count, then each split as split-serializer version and bytes.
 */
@Internal
public final class CdcEnumeratorStateSerializer
        implements SimpleVersionedSerializer<List<CdcSplit>> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(List<CdcSplit> splits) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(splits.size());
        for (CdcSplit split : splits) {
            byte[] s = CdcSplitSerializer.INSTANCE.serialize(split);
            out.writeInt(CdcSplitSerializer.INSTANCE.getVersion());
            out.writeInt(s.length);
            out.write(s);
        }
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public List<CdcSplit> deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown CDC enumerator state version " + version);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
        int n = in.readInt();
        List<CdcSplit> splits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int splitVersion = in.readInt();
            byte[] s = new byte[in.readInt()];
            in.readFully(s);
            splits.add(CdcSplitSerializer.INSTANCE.deserialize(splitVersion, s));
        }
        return splits;
    }
}

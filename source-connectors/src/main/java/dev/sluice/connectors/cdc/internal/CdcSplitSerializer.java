package dev.sluice.connectors.cdc.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Versioned bytes of a {@link CdcSplit}. Offset values keep their Java type (Debezium's offset
 * loaders cast them: a {@code Long} must come back a {@code Long}), so they are written with a type
 * tag rather than as text.
 *
 * <p>Version 1: partition map, offset map (each: -1 when absent, else count and tagged entries),
 * then the history records as length-prefixed UTF-8. Version 2 (current): version 1, then the count
 * of snapshot read hashes and the hashes (8 bytes each). Version 1 splits are read with no snapshot
 * reads.
 */
@Internal
public final class CdcSplitSerializer implements SimpleVersionedSerializer<CdcSplit> {
    public static final CdcSplitSerializer INSTANCE = new CdcSplitSerializer();

    private static final int VERSION = 2;
    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte LONG = 2;
    private static final byte INT = 3;
    private static final byte BOOLEAN = 4;
    private static final byte DOUBLE = 5;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(CdcSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeMap(out, split.partition());
        writeMap(out, split.offset());
        out.writeInt(split.history().size());
        for (String record : split.history()) {
            byte[] utf8 = record.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
        long[] reads = split.snapshotReads();
        out.writeInt(reads.length);
        for (long hash : reads) {
            out.writeLong(hash);
        }
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public CdcSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != VERSION) {
            throw new IOException(
                    "unknown CDC split version "
                            + version
                            + " (this Sluice reads versions 1 to "
                            + VERSION
                            + ")");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
        Map<String, Object> partition = readMap(in);
        Map<String, Object> offset = readMap(in);
        int n = in.readInt();
        List<String> history = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] utf8 = new byte[in.readInt()];
            in.readFully(utf8);
            history.add(new String(utf8, StandardCharsets.UTF_8));
        }
        long[] reads = new long[0];
        if (version >= 2) {
            reads = new long[in.readInt()];
            for (int i = 0; i < reads.length; i++) {
                reads[i] = in.readLong();
            }
        }
        return new CdcSplit(partition, offset, history, reads);
    }

    private static void writeMap(DataOutputStream out, Map<String, Object> map) throws IOException {
        if (map == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(map.size());
        for (Map.Entry<String, Object> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            Object v = e.getValue();
            if (v == null) {
                out.writeByte(NULL);
            } else if (v instanceof Long) {
                out.writeByte(LONG);
                out.writeLong((Long) v);
            } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
                out.writeByte(INT);
                out.writeInt(((Number) v).intValue());
            } else if (v instanceof Boolean) {
                out.writeByte(BOOLEAN);
                out.writeBoolean((Boolean) v);
            } else if (v instanceof Double || v instanceof Float) {
                out.writeByte(DOUBLE);
                out.writeDouble(((Number) v).doubleValue());
            } else {
                out.writeByte(STRING);
                byte[] utf8 = v.toString().getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
        }
    }

    private static Map<String, Object> readMap(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            byte tag = in.readByte();
            switch (tag) {
                case NULL:
                    map.put(key, null);
                    break;
                case LONG:
                    map.put(key, in.readLong());
                    break;
                case INT:
                    map.put(key, in.readInt());
                    break;
                case BOOLEAN:
                    map.put(key, in.readBoolean());
                    break;
                case DOUBLE:
                    map.put(key, in.readDouble());
                    break;
                case STRING:
                    byte[] utf8 = new byte[in.readInt()];
                    in.readFully(utf8);
                    map.put(key, new String(utf8, StandardCharsets.UTF_8));
                    break;
                default:
                    throw new IOException("unknown offset value tag " + tag);
            }
        }
        return map;
    }
}

package dev.sluice.sdk.typeutils;

import dev.sluice.sdk.SluiceRecord;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The versioned configuration of a {@link SluiceRecordSerializer}: the value schema. A restored job
 * whose schema evolved compatibly (Avro's reader/writer rules) migrates; an incompatible change is
 * refused.
 */
@Internal
public final class SluiceRecordSerializerSnapshot implements TypeSerializerSnapshot<SluiceRecord> {
    private static final int VERSION = 1;
    private String schemaJson;

    /** For Flink's reflective restore. */
    public SluiceRecordSerializerSnapshot() {}

    SluiceRecordSerializerSnapshot(String schemaJson) {
        this.schemaJson = schemaJson;
    }

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        byte[] bytes = schemaJson.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
            throws IOException {
        if (readVersion != VERSION) {
            throw new IOException(
                    "unknown SluiceRecord serializer snapshot version " + readVersion);
        }
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        schemaJson = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public TypeSerializer<SluiceRecord> restoreSerializer() {
        return new SluiceRecordSerializer(schemaJson);
    }

    @Override
    public TypeSerializerSchemaCompatibility<SluiceRecord> resolveSchemaCompatibility(
            TypeSerializerSnapshot<SluiceRecord> oldSnapshot) {
        if (!(oldSnapshot instanceof SluiceRecordSerializerSnapshot)) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        String old = ((SluiceRecordSerializerSnapshot) oldSnapshot).schemaJson;
        if (old.equals(schemaJson)) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        Schema reader = new Schema.Parser().parse(schemaJson);
        Schema writer = new Schema.Parser().parse(old);
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                        == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE
                ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                : TypeSerializerSchemaCompatibility.incompatible();
    }
}

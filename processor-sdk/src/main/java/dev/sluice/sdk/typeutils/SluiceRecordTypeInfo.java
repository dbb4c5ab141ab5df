package dev.sluice.sdk.typeutils;

import dev.sluice.sdk.SluiceRecord;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The Flink type of a stream of {@link SluiceRecord}s whose values have one Avro schema. It gives
 * Flink a real serializer (Avro binary for the value, raw bytes for keys and origin) for every edge
 * that crosses the network — a union, a keyed exchange, a parallelism change — where a generic Kryo
 * fallback cannot handle Avro records at all.
 */
@PublicEvolving
public final class SluiceRecordTypeInfo extends TypeInformation<SluiceRecord> {
    private static final long serialVersionUID = 1L;

    private final String schemaJson;
    private transient Schema schema;

    public SluiceRecordTypeInfo(Schema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.schemaJson = schema.toString();
    }

    /** The Avro schema of the values. */
    public Schema schema() {
        if (schema == null) {
            schema = new Schema.Parser().parse(schemaJson);
        }
        return schema;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<SluiceRecord> getTypeClass() {
        return SluiceRecord.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<SluiceRecord> createSerializer(SerializerConfig config) {
        return new SluiceRecordSerializer(schemaJson);
    }

    @Override
    public String toString() {
        return "SluiceRecord<" + schema().getFullName() + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SluiceRecordTypeInfo
                && ((SluiceRecordTypeInfo) o).schemaJson.equals(schemaJson);
    }

    @Override
    public int hashCode() {
        return schemaJson.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof SluiceRecordTypeInfo;
    }
}

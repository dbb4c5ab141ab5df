package dev.sluice.processors.sql;

import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.factory.Provisioner;
import dev.sluice.sdk.factory.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/** Schemas, records and a registry stand-in for the {@code sql} processor's tests. */
final class SqlFixtures {

    static final Schema ORDERS =
            parse(
                    "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
                            + "{\"name\":\"id\",\"type\":\"long\"},"
                            + "{\"name\":\"customer\",\"type\":\"string\"},"
                            + "{\"name\":\"amount\",\"type\":\"double\"},"
                            + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null},"
                            + "{\"name\":\"ts\",\"type\":[\"null\",{\"type\":\"long\","
                            + "\"logicalType\":\"timestamp-millis\"}],\"default\":null}]}");

    /** A CDC-shaped changelog of orders: flattened rows plus {@code __op}. */
    static final Schema ORDER_CHANGES =
            parse(
                    "{\"type\":\"record\",\"name\":\"OrderChange\",\"namespace\":\"cdc\","
                            + "\"fields\":["
                            + "{\"name\":\"id\",\"type\":\"long\"},"
                            + "{\"name\":\"customer\",\"type\":\"string\"},"
                            + "{\"name\":\"amount\",\"type\":\"double\"},"
                            + "{\"name\":\"__op\",\"type\":\"string\"}]}");

    static final Schema CUSTOMERS =
            parse(
                    "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"shop\",\"fields\":["
                            + "{\"name\":\"id\",\"type\":\"string\"},"
                            + "{\"name\":\"name\",\"type\":\"string\"},"
                            + "{\"name\":\"tier\",\"type\":{\"type\":\"enum\",\"name\":\"Tier\","
                            + "\"symbols\":[\"GOLD\",\"SILVER\"]}}]}");

    private SqlFixtures() {}

    static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    static GenericRecord order(long id, String customer, double amount, String note, Long ts) {
        GenericData.Record r = new GenericData.Record(ORDERS);
        r.put("id", id);
        r.put("customer", customer);
        r.put("amount", amount);
        r.put("note", note);
        r.put("ts", ts);
        return r;
    }

    static GenericRecord change(String op, long id, String customer, double amount) {
        GenericData.Record r = new GenericData.Record(ORDER_CHANGES);
        r.put("id", id);
        r.put("customer", customer);
        r.put("amount", amount);
        r.put("__op", op);
        return r;
    }

    static GenericRecord customer(String id, String name, String tier) {
        GenericData.Record r = new GenericData.Record(CUSTOMERS);
        r.put("id", id);
        r.put("name", name);
        r.put("tier", new GenericData.EnumSymbol(CUSTOMERS.getField("tier").schema(), tier));
        return r;
    }

    /** Record {@code offset} of {@code topic} with a key and a timestamp. */
    static SluiceRecord keyed(String topic, long offset, String key, GenericRecord value) {
        byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        return SluiceRecord.of(k, value, offset, topic, 0, offset, k, null);
    }

    /** A record as a map of field name to value (strings for strings), for exact assertions. */
    static Map<String, Object> fields(GenericRecord record) {
        if (record == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Schema.Field f : record.getSchema().getFields()) {
            Object v = record.get(f.pos());
            out.put(f.name(), v instanceof CharSequence ? v.toString() : v);
        }
        return out;
    }

    /** Decodes a Confluent-framed key of {@code schema}, checking the magic byte and the id. */
    static GenericRecord decodeKey(byte[] bytes, int schemaId, Schema schema) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (buffer.get() != 0 || buffer.getInt() != schemaId) {
            throw new IllegalArgumentException("not Confluent framing of schema id " + schemaId);
        }
        try {
            return new GenericDatumReader<GenericRecord>(schema)
                    .read(
                            null,
                            DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A registry that hands out one id and remembers what was registered. */
    static final class RecordingProvisioner implements Provisioner {
        final Map<String, Schema> registered = new LinkedHashMap<>();
        final int id;

        RecordingProvisioner(int id) {
            this.id = id;
        }

        @Override
        public void ensureTopic(TopicSpec topic) {}

        @Override
        public int registerSchema(String subject, Schema schema) {
            registered.put(subject, schema);
            return id;
        }
    }
}

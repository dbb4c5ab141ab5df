package dev.sluice.processors.expression;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/** Schemas and records the expression tests evaluate against. */
final class TestRecords {

    /** The schema of the brief's example: {@code id, customer, amount, status}. */
    static final Schema ORDER =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"customer\",\"type\":\"string\"},"
                                    + "{\"name\":\"amount\",\"type\":[\"null\",\"int\"],\"default\":null},"
                                    + "{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\","
                                    + "\"symbols\":[\"NEW\",\"PAID\",\"SHIPPED\"]}}]}");

    /** One field of each supported kind, non-null and nullable, plus nested and opaque ones. */
    static final Schema WIDE =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Wide\",\"namespace\":\"test\",\"fields\":["
                                    + "{\"name\":\"i\",\"type\":\"int\"},"
                                    + "{\"name\":\"l\",\"type\":\"long\"},"
                                    + "{\"name\":\"f\",\"type\":\"float\"},"
                                    + "{\"name\":\"d\",\"type\":\"double\"},"
                                    + "{\"name\":\"b\",\"type\":\"boolean\"},"
                                    + "{\"name\":\"s\",\"type\":\"string\"},"
                                    + "{\"name\":\"ni\",\"type\":[\"null\",\"int\"]},"
                                    + "{\"name\":\"nl\",\"type\":[\"null\",\"long\"]},"
                                    + "{\"name\":\"nd\",\"type\":[\"null\",\"double\"]},"
                                    + "{\"name\":\"nb\",\"type\":[\"null\",\"boolean\"]},"
                                    + "{\"name\":\"ns\",\"type\":[\"null\",\"string\"]},"
                                    + "{\"name\":\"e\",\"type\":{\"type\":\"enum\",\"name\":\"Color\","
                                    + "\"symbols\":[\"RED\",\"GREEN\"]}},"
                                    + "{\"name\":\"raw\",\"type\":[\"null\",\"bytes\"]},"
                                    + "{\"name\":\"price\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\","
                                    + "\"precision\":10,\"scale\":2}},"
                                    + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                                    + "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
                                    + "{\"name\":\"value\",\"type\":\"string\"},"
                                    + "{\"name\":\"Name\",\"type\":\"string\"},"
                                    + "{\"name\":\"address\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Address\","
                                    + "\"fields\":[{\"name\":\"city\",\"type\":\"string\"},"
                                    + "{\"name\":\"zip\",\"type\":[\"null\",\"string\"]}]}]}]}");

    private TestRecords() {}

    static GenericRecord order(long id, String customer, Integer amount, String status) {
        GenericRecord record = new GenericData.Record(ORDER);
        record.put("id", id);
        record.put("customer", new Utf8(customer));
        record.put("amount", amount);
        record.put("status", new GenericData.EnumSymbol(ORDER.getField("status").schema(), status));
        return record;
    }

    /**
     * i=7, l=10_000_000_000, f=1.5f, d=2.5, b=true, s=" Hello World ", all nullable fields null,
     * e=GREEN, price=12.34, ts=1700000000000, tags=[a, b], value="v", Name="N",
     * address={city=Paris, zip=null}.
     */
    static GenericRecord wide() {
        GenericRecord record = new GenericData.Record(WIDE);
        record.put("i", 7);
        record.put("l", 10_000_000_000L);
        record.put("f", 1.5f);
        record.put("d", 2.5d);
        record.put("b", true);
        record.put("s", new Utf8(" Hello World "));
        record.put("e", new GenericData.EnumSymbol(WIDE.getField("e").schema(), "GREEN"));
        record.put("price", decimalBytes("12.34"));
        record.put("ts", 1_700_000_000_000L);
        record.put("tags", List.of(new Utf8("a"), new Utf8("b")));
        record.put("value", "v");
        record.put("Name", "N");
        GenericRecord address =
                new GenericData.Record(WIDE.getField("address").schema().getTypes().get(1));
        address.put("city", "Paris");
        record.put("address", address);
        return record;
    }

    static ByteBuffer decimalBytes(String value) {
        return ByteBuffer.wrap(new BigDecimal(value).unscaledValue().toByteArray());
    }

    static BigDecimal decimal(Object bytes, int scale) {
        ByteBuffer buffer = ((ByteBuffer) bytes).duplicate();
        byte[] data = new byte[buffer.remaining()];
        buffer.get(data);
        return new BigDecimal(new java.math.BigInteger(data), scale);
    }
}

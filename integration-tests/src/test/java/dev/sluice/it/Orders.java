package dev.sluice.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Deterministic sample orders for the integration tests. */
final class Orders {
    static final Schema SCHEMA =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"it\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"customer\",\"type\":\"string\"},"
                                    + "{\"name\":\"amount\",\"type\":\"double\"},"
                                    + "{\"name\":\"qty\",\"type\":\"int\"},"
                                    + "{\"name\":\"status\",\"type\":\"string\"}]}");

    private static final String[] STATUSES = {"PAID", "NEW", "PAID", "CANCELLED"};
    private static final String[] CUSTOMERS = {"ada", "grace", "linus"};

    /** Order {@code i}: status cycles PAID/NEW/PAID/CANCELLED, amount = i, qty = i % 5. */
    static GenericRecord order(long i) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("id", i);
        r.put("customer", CUSTOMERS[(int) (i % CUSTOMERS.length)]);
        r.put("amount", (double) i);
        r.put("qty", (int) (i % 5));
        r.put("status", STATUSES[(int) (i % STATUSES.length)]);
        return r;
    }

    static List<GenericRecord> orders(long from, long toExclusive) {
        List<GenericRecord> out = new ArrayList<>();
        for (long i = from; i < toExclusive; i++) {
            out.add(order(i));
        }
        return out;
    }

    static List<byte[]> keys(long from, long toExclusive) {
        List<byte[]> out = new ArrayList<>();
        for (long i = from; i < toExclusive; i++) {
            out.add(key(i));
        }
        return out;
    }

    static byte[] key(long i) {
        return ("order-" + i).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The filter+project pipeline of the foundation issue over {@code input} into {@code output}.
     */
    static String pipeline(String name, String input, String output, String condition) {
        return "{\n"
                + "  \"name\": \""
                + name
                + "\",\n"
                + "  \"owner\": \"it\",\n"
                + "  \"sources\": [{\"id\": \"orders\", \"type\": \"kafka\", \"config\": {\"topic\": \""
                + input
                + "\"}}],\n"
                + "  \"processors\": [\n"
                + "    {\"id\": \"paid\", \"type\": \"filter\", \"inputs\": [\"orders\"],"
                + " \"config\": {\"condition\": \""
                + condition
                + "\"}},\n"
                + "    {\"id\": \"slim\", \"type\": \"project\", \"inputs\": [\"paid\"],"
                + " \"config\": {\"fields\": {\"order_id\": \"id\", \"customer\":"
                + " \"UPPER(customer)\", \"amount\": \"amount\"}}}\n"
                + "  ],\n"
                + "  \"sinks\": [{\"id\": \"out\", \"type\": \"kafka\", \"inputs\": [\"slim\"],"
                + " \"config\": {\"topic\": \""
                + output
                + "\"}}]\n"
                + "}";
    }

    private Orders() {}
}

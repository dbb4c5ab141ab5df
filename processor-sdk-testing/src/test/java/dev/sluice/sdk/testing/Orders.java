package dev.sluice.sdk.testing;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** The sample records of the harness's tests. */
final class Orders {
    static final Schema SCHEMA =
            SchemaBuilder.record("Order")
                    .namespace("test")
                    .fields()
                    .requiredLong("id")
                    .requiredString("customer")
                    .endRecord();

    static GenericRecord order(long id, String customer) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("id", id);
        r.put("customer", customer);
        return r;
    }

    private Orders() {}
}

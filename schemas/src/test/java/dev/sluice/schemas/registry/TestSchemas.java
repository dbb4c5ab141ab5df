package dev.sluice.schemas.registry;

import dev.sluice.schemas.AvroSchemas;
import org.apache.avro.Schema;

/** Schemas of a "User" record and its evolutions, shared by the registry tests. */
final class TestSchemas {

    static final String V1_TEXT =
            "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"long\"},"
                    + "{\"name\":\"name\",\"type\":\"string\"}]}";

    /** V1 plus a nullable {@code email} defaulting to null: backward and forward compatible. */
    static final String V2_ADD_WITH_DEFAULT_TEXT =
            "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"long\"},"
                    + "{\"name\":\"name\",\"type\":\"string\"},"
                    + "{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null}]}";

    /** V1 plus a required {@code email}: not backward compatible. */
    static final String V2_ADD_WITHOUT_DEFAULT_TEXT =
            "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"long\"},"
                    + "{\"name\":\"name\",\"type\":\"string\"},"
                    + "{\"name\":\"email\",\"type\":\"string\"}]}";

    /** V1 without {@code name}: backward but not forward compatible. */
    static final String V2_REMOVE_NAME_TEXT =
            "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"long\"}]}";

    /** V1 with {@code name} an int: neither backward nor forward compatible. */
    static final String V2_NAME_AS_INT_TEXT =
            "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"long\"},"
                    + "{\"name\":\"name\",\"type\":\"int\"}]}";

    static final Schema V1 = AvroSchemas.parse(V1_TEXT);
    static final Schema V2_ADD_WITH_DEFAULT = AvroSchemas.parse(V2_ADD_WITH_DEFAULT_TEXT);
    static final Schema V2_ADD_WITHOUT_DEFAULT = AvroSchemas.parse(V2_ADD_WITHOUT_DEFAULT_TEXT);
    static final Schema V2_REMOVE_NAME = AvroSchemas.parse(V2_REMOVE_NAME_TEXT);
    static final Schema V2_NAME_AS_INT = AvroSchemas.parse(V2_NAME_AS_INT_TEXT);

    static final String ORDER_TEXT =
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
                    + "{\"name\":\"order_id\",\"type\":\"string\"}]}";
    static final Schema ORDER = AvroSchemas.parse(ORDER_TEXT);

    private TestSchemas() {}
}

package dev.sluice.processors.join;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HexFormat;
import org.apache.avro.generic.GenericFixed;

/**
 * The keys of a join's state. Both inputs are partitioned by their join value, so a left and a
 * right record meet exactly when their values are equal after normalization: an int and a long of
 * the same number, an enum symbol and the string of its name, meet; bytes compare by content.
 *
 * <p>Every real join key starts with {@code '='}, so {@link #NO_VALUE} — the key of records that
 * have no join value (tombstones, a null join field, a record lacking the field) — can never be
 * mistaken for a join value, not even the empty string. These strings are persisted as the state's
 * keys: the encoding must stay stable.
 */
final class JoinKeys {

    /** The key of records without a join value; they never meet a record of the other side. */
    static final String NO_VALUE = "";

    private static final HexFormat HEX = HexFormat.of();

    private JoinKeys() {}

    /** The state key of a join field value (an Avro generic value), {@link #NO_VALUE} for null. */
    static String of(Object value) {
        return value == null ? NO_VALUE : "=" + normalize(value);
    }

    /** Whether a state key stands for a join value. */
    static boolean hasValue(String key) {
        return !NO_VALUE.equals(key);
    }

    /**
     * The text of a join value: strings (Utf8 or String), enum symbols, numbers and booleans as
     * {@code toString()}, bytes and fixed as lowercase hex.
     */
    static String normalize(Object value) {
        if (value instanceof ByteBuffer) {
            ByteBuffer b = ((ByteBuffer) value).duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return HEX.formatHex(bytes);
        }
        if (value instanceof GenericFixed) {
            return HEX.formatHex(((GenericFixed) value).bytes());
        }
        return value.toString();
    }

    /** The key of a left row within its join value's state: its Kafka key bytes, as Base64. */
    static String rowKey(byte[] kafkaKey) {
        return Base64.getEncoder().encodeToString(kafkaKey);
    }
}

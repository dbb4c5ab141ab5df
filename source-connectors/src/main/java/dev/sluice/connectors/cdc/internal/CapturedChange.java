package dev.sluice.connectors.cdc.internal;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * One change as it leaves the capture operator: already encoded as it will sit on its table's topic
 * (key and value in Confluent wire format, {@code value == null} for a tombstone).
 *
 * <p>Encoded at the capture so the topic writer only routes bytes; a Flink POJO (public fields,
 * no-arg constructor) so its serializer is Flink's own and evolvable.
 */
@Internal
public class CapturedChange {
    /** The table's topic. */
    public String topic;

    /** Key bytes: Confluent wire format of the table's key record. */
    public byte[] key;

    /** Value bytes: Confluent wire format of the table's value record; {@code null} = tombstone. */
    public byte[] value;

    /** When the change was committed at the source, epoch milliseconds. */
    public long timestamp;

    public CapturedChange() {}

    public CapturedChange(String topic, byte[] key, byte[] value, long timestamp) {
        this.topic = topic;
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CapturedChange)) {
            return false;
        }
        CapturedChange c = (CapturedChange) o;
        return timestamp == c.timestamp
                && Objects.equals(topic, c.topic)
                && Arrays.equals(key, c.key)
                && Arrays.equals(value, c.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(key), timestamp);
    }

    @Override
    public String toString() {
        return "CapturedChange{" + topic + (value == null ? ", tombstone" : "") + "}";
    }
}

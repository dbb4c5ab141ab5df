package dev.sluice.sdk;

import java.util.Arrays;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.annotation.PublicEvolving;

/**
 * One record as it flows between the operators of a Sluice pipeline.
 *
 * <p>It carries the decoded Avro value that processors work on, the Kafka key as bytes (so keys
 * that Sluice only reads pass through untouched), and where the record came from: the source topic,
 * partition, offset and the original key/value bytes. The origin is what a dead letter needs to let
 * a record be replayed after a fix, so derived records keep it ({@link #withValue(GenericRecord)}
 * copies references, never bytes).
 *
 * <p>Instances are immutable and cheap to derive. A {@code null} value is a tombstone.
 */
@PublicEvolving
public final class SluiceRecord {

    private final byte[] key;
    private final GenericRecord value;
    private final long timestamp;
    private final String sourceTopic;
    private final int sourcePartition;
    private final long sourceOffset;
    private final byte[] sourceKey;
    private final byte[] sourceValue;
    private final int replays;

    private SluiceRecord(
            byte[] key,
            GenericRecord value,
            long timestamp,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            byte[] sourceKey,
            byte[] sourceValue,
            int replays) {
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
        this.sourceTopic = sourceTopic;
        this.sourcePartition = sourcePartition;
        this.sourceOffset = sourceOffset;
        this.sourceKey = sourceKey;
        this.sourceValue = sourceValue;
        this.replays = replays;
    }

    /** A record read from a Kafka topic, not yet decoded: its value is {@code null}. */
    public static SluiceRecord fromKafka(
            String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        return new SluiceRecord(key, null, timestamp, topic, partition, offset, key, value, 0);
    }

    /** A record with no source record behind it (generated, or restored from elsewhere). */
    public static SluiceRecord of(byte[] key, GenericRecord value, long timestamp) {
        return new SluiceRecord(key, value, timestamp, null, -1, -1L, null, null, 0);
    }

    /** The full form, for serializers. */
    public static SluiceRecord of(
            byte[] key,
            GenericRecord value,
            long timestamp,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            byte[] sourceKey,
            byte[] sourceValue) {
        return of(
                key,
                value,
                timestamp,
                sourceTopic,
                sourcePartition,
                sourceOffset,
                sourceKey,
                sourceValue,
                0);
    }

    /** The full form with the replay count, for serializers. */
    public static SluiceRecord of(
            byte[] key,
            GenericRecord value,
            long timestamp,
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            byte[] sourceKey,
            byte[] sourceValue,
            int replays) {
        return new SluiceRecord(
                key,
                value,
                timestamp,
                sourceTopic,
                sourcePartition,
                sourceOffset,
                sourceKey,
                sourceValue,
                replays);
    }

    /**
     * A dead letter replayed from the pipeline's replay topic: its origin is the record that first
     * failed, and {@code replays} says how often it was replayed before.
     */
    public static SluiceRecord replayed(
            String topic,
            int partition,
            long offset,
            long timestamp,
            byte[] key,
            byte[] value,
            int replays) {
        return new SluiceRecord(
                key, null, timestamp, topic, partition, offset, key, value, replays);
    }

    /** The same record (key, origin) with another value. */
    public SluiceRecord withValue(GenericRecord newValue) {
        return new SluiceRecord(
                key,
                newValue,
                timestamp,
                sourceTopic,
                sourcePartition,
                sourceOffset,
                sourceKey,
                sourceValue,
                replays);
    }

    /** The same record (value, origin) with another key. */
    public SluiceRecord withKey(byte[] newKey) {
        return new SluiceRecord(
                newKey,
                value,
                timestamp,
                sourceTopic,
                sourcePartition,
                sourceOffset,
                sourceKey,
                sourceValue,
                replays);
    }

    /** The Kafka key bytes, or {@code null}. */
    public byte[] key() {
        return key;
    }

    /** The decoded value, or {@code null} for a tombstone or a record not decoded yet. */
    public GenericRecord value() {
        return value;
    }

    /** Event timestamp in epoch milliseconds (the Kafka record timestamp for Kafka sources). */
    public long timestamp() {
        return timestamp;
    }

    /** The topic the record was read from, or {@code null}. */
    public String sourceTopic() {
        return sourceTopic;
    }

    /** The partition it was read from, or -1. */
    public int sourcePartition() {
        return sourcePartition;
    }

    /** The offset it was read from, or -1. */
    public long sourceOffset() {
        return sourceOffset;
    }

    /** The key bytes as read from the source, or {@code null}. */
    public byte[] sourceKey() {
        return sourceKey;
    }

    /** The value bytes as read from the source, or {@code null}. */
    public byte[] sourceValue() {
        return sourceValue;
    }

    /** How often this record was replayed from the dead-letter topic before (0 for new records). */
    public int replays() {
        return replays;
    }

    /** Whether the record has a source position (topic, partition, offset). */
    public boolean hasSource() {
        return sourceTopic != null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SluiceRecord)) {
            return false;
        }
        SluiceRecord that = (SluiceRecord) o;
        return timestamp == that.timestamp
                && replays == that.replays
                && sourcePartition == that.sourcePartition
                && sourceOffset == that.sourceOffset
                && Arrays.equals(key, that.key)
                && Objects.equals(value, that.value)
                && Objects.equals(sourceTopic, that.sourceTopic)
                && Arrays.equals(sourceKey, that.sourceKey)
                && Arrays.equals(sourceValue, that.sourceValue);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                Arrays.hashCode(key), value, sourceTopic, sourcePartition, sourceOffset);
    }

    @Override
    public String toString() {
        return "SluiceRecord{value="
                + value
                + ", source="
                + sourceTopic
                + "/"
                + sourcePartition
                + "@"
                + sourceOffset
                + "}";
    }
}

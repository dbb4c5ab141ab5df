package dev.sluice.connectors.cdc.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.annotation.Internal;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;

/**
 * Debezium's offset store inside a Flink source: in memory, seeded at start with the offset
 * restored from the source's checkpointed split. Debezium reads its starting position from here;
 * what it writes here is not what Sluice checkpoints (the source checkpoints the offset of the last
 * change it handed to Flink), it only serves the connector's own commit call, which advances the
 * PostgreSQL slot once a checkpoint is complete.
 *
 * <p>The seeded bytes are written exactly as Kafka Connect's offset writer writes them (a JSON
 * converter without schemas, key {@code [engine name, partition]}), so the engine's reader finds
 * them.
 */
@Internal
public final class FlinkStateOffsetBackingStore extends MemoryOffsetBackingStore {

    /** Debezium property naming the capture instance (see {@link CaptureRegistry}). */
    public static final String INSTANCE = "sluice.capture.instance";

    private CaptureRegistry.CaptureState state;
    private String engineName;
    private final Set<Map<String, Object>> partitions = new HashSet<>();

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Map<String, String> originals = config.originalsStrings();
        state = CaptureRegistry.get(originals.get(INSTANCE));
        engineName = originals.get("name");
    }

    @Override
    public synchronized void start() {
        super.start();
        if (state.offset() != null && state.partition() != null) {
            JsonConverter keys = converter(true);
            JsonConverter values = converter(false);
            byte[] key =
                    keys.fromConnectData(
                            engineName, null, Arrays.asList(engineName, state.partition()));
            byte[] value = values.fromConnectData(engineName, null, state.offset());
            data.put(ByteBuffer.wrap(key), ByteBuffer.wrap(value));
            partitions.add(state.partition());
        }
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return partitions;
    }

    private static JsonConverter converter(boolean isKey) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), isKey);
        return converter;
    }
}

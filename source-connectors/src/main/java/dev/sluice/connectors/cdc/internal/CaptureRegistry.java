package dev.sluice.connectors.cdc.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.annotation.Internal;

/**
 * Hands a running capture's Flink state to the classes Debezium instantiates by name (the offset
 * store and the schema history), which cannot be given objects: the capture registers its state
 * under a fresh instance id, passes the id in Debezium's properties, and unregisters when it
 * closes. Nothing else is kept here.
 */
@Internal
final class CaptureRegistry {
    private static final Map<String, CaptureState> STATES = new ConcurrentHashMap<>();

    private CaptureRegistry() {}

    static void register(String instanceId, CaptureState state) {
        STATES.put(instanceId, state);
    }

    static void unregister(String instanceId) {
        STATES.remove(instanceId);
    }

    /**
     * The state of a registered capture.
     *
     * @throws IllegalStateException if none is registered under the id
     */
    static CaptureState get(String instanceId) {
        CaptureState state = instanceId == null ? null : STATES.get(instanceId);
        if (state == null) {
            throw new IllegalStateException(
                    "no Sluice capture is registered as '"
                            + instanceId
                            + "'; the offset store and schema history only run inside Sluice's"
                            + " CDC source");
        }
        return state;
    }

    /** One capture's restored offset and its schema history (appended to while it runs). */
    static final class CaptureState {
        private final Map<String, Object> partition;
        private final Map<String, Object> offset;
        private final List<String> history;

        CaptureState(
                Map<String, Object> partition, Map<String, Object> offset, List<String> history) {
            this.partition = partition;
            this.offset = offset;
            this.history = Collections.synchronizedList(new ArrayList<>(history));
        }

        /** The partition of the restored offset, or {@code null} for a fresh start. */
        Map<String, Object> partition() {
            return partition;
        }

        /** The restored offset, or {@code null} for a fresh start. */
        Map<String, Object> offset() {
            return offset;
        }

        void addHistory(String record) {
            history.add(record);
        }

        /** A copy of the schema history records (Debezium documents as JSON). */
        List<String> history() {
            synchronized (history) {
                return new ArrayList<>(history);
            }
        }
    }
}

package dev.sluice.connectors.cdc.internal;

import io.debezium.config.Configuration;
import io.debezium.document.DocumentReader;
import io.debezium.document.DocumentWriter;
import io.debezium.relational.history.AbstractSchemaHistory;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistoryException;
import io.debezium.relational.history.SchemaHistoryListener;
import java.io.IOException;
import java.util.function.Consumer;
import org.apache.flink.annotation.Internal;

/**
 * The MySQL/MariaDB schema history (the DDL Debezium has seen) kept in the capture's Flink state
 * instead of a file or topic: records go to the capture's {@link CaptureRegistry} entry and are
 * checkpointed with the offset, so a capture restored from a checkpoint knows the tables' columns
 * at its position even if DDL ran while it was down. Debezium replays only the records at or before
 * the restored position, so history written after the checkpoint is harmless.
 */
@Internal
public final class FlinkStateSchemaHistory extends AbstractSchemaHistory {

    /** Debezium property naming the capture instance (see {@link CaptureRegistry}). */
    public static final String INSTANCE =
            CONFIGURATION_FIELD_PREFIX_STRING + "sluice.capture.instance";

    private CaptureRegistry.CaptureState state;

    @Override
    public void configure(
            Configuration config,
            HistoryRecordComparator comparator,
            SchemaHistoryListener listener,
            boolean useCatalogBeforeSchema) {
        super.configure(config, comparator, listener, useCatalogBeforeSchema);
        state = CaptureRegistry.get(config.getString(INSTANCE));
    }

    @Override
    protected void storeRecord(HistoryRecord record) throws SchemaHistoryException {
        try {
            state.addHistory(DocumentWriter.defaultWriter().write(record.document()));
        } catch (IOException e) {
            throw new SchemaHistoryException("cannot serialize a schema history record", e);
        }
    }

    @Override
    protected void recoverRecords(Consumer<HistoryRecord> records) {
        for (String json : state.history()) {
            try {
                records.accept(new HistoryRecord(DocumentReader.defaultReader().read(json)));
            } catch (IOException e) {
                throw new SchemaHistoryException(
                        "cannot read a checkpointed schema history record", e);
            }
        }
    }

    @Override
    public boolean storageExists() {
        return true;
    }

    @Override
    public boolean exists() {
        return !state.history().isEmpty();
    }

    @Override
    public String toString() {
        return "Flink state";
    }
}

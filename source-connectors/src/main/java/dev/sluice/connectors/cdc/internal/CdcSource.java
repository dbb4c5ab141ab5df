package dev.sluice.connectors.cdc.internal;

import java.util.List;
import java.util.Objects;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Change data capture as a Flink (FLIP-27) source: Debezium's embedded engine runs inside the
 * reader, its position and (MySQL/MariaDB) schema history live in Flink's checkpoints, and the
 * database is told a position is done only when a checkpoint holding it completes. One split, read
 * by one reader: run it with parallelism 1.
 */
@Internal
public final class CdcSource implements Source<CapturedChange, CdcSplit, List<CdcSplit>> {
    private static final long serialVersionUID = 1L;

    private final CaptureSpec spec;

    public CdcSource(CaptureSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<CdcSplit, List<CdcSplit>> createEnumerator(
            SplitEnumeratorContext<CdcSplit> context) {
        return new CdcEnumerator(context, List.of(CdcSplit.fresh()));
    }

    @Override
    public SplitEnumerator<CdcSplit, List<CdcSplit>> restoreEnumerator(
            SplitEnumeratorContext<CdcSplit> context, List<CdcSplit> checkpoint) {
        return new CdcEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<CdcSplit> getSplitSerializer() {
        return CdcSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<List<CdcSplit>> getEnumeratorCheckpointSerializer() {
        return new CdcEnumeratorStateSerializer();
    }

    @Override
    public SourceReader<CapturedChange, CdcSplit> createReader(SourceReaderContext context) {
        return new CdcSourceReader(spec);
    }

    @Override
    public String toString() {
        return "CdcSource{" + spec + "}";
    }
}

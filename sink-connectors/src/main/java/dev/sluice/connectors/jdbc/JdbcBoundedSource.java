package dev.sluice.connectors.jdbc;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.types.Either;

/**
 * The {@code jdbc} source as a bounded FLIP-27 {@link Source}: the enumerator splits the read by
 * ranges of the split column when the run starts ({@link JdbcSplits}), readers run one query per
 * split. Rows come out as records, or as dead letters for rows with a value that has no Avro form;
 * the factory routes those to the pipeline's dead-letter topic.
 *
 * <p>Sluice's own rather than flink-connector-jdbc's {@code JdbcSource}: it needs the drivers
 * instantiated directly (plugin class loaders), per-row dead letters, and split bounds computed per
 * run rather than when the job is built.
 */
final class JdbcBoundedSource
        implements Source<Either<SluiceRecord, DeadLetter>, JdbcSplit, JdbcEnumeratorState> {
    private static final long serialVersionUID = 1L;

    private final JdbcReadSpec spec;

    JdbcBoundedSource(JdbcReadSpec spec) {
        this.spec = spec;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<Either<SluiceRecord, DeadLetter>, JdbcSplit> createReader(
            SourceReaderContext readerContext) {
        return new JdbcSourceReader(spec, readerContext);
    }

    @Override
    public SplitEnumerator<JdbcSplit, JdbcEnumeratorState> createEnumerator(
            SplitEnumeratorContext<JdbcSplit> context) {
        return new JdbcSplitEnumerator(context, spec, null);
    }

    @Override
    public SplitEnumerator<JdbcSplit, JdbcEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<JdbcSplit> context, JdbcEnumeratorState checkpoint) {
        return new JdbcSplitEnumerator(context, spec, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<JdbcSplit> getSplitSerializer() {
        return JdbcSplit.Serializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<JdbcEnumeratorState> getEnumeratorCheckpointSerializer() {
        return JdbcEnumeratorState.Serializer.INSTANCE;
    }
}

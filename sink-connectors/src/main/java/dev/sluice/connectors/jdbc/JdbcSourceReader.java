package dev.sluice.connectors.jdbc;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.SluiceRecord;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.types.Either;

/**
 * A reader of the {@code jdbc} source: asks the enumerator for a split, reads it on a fetcher
 * thread ({@link JdbcSplitReader}), and asks for the next when it is done.
 */
final class JdbcSourceReader
        extends SingleThreadMultiplexSourceReaderBase<
                Either<SluiceRecord, DeadLetter>,
                Either<SluiceRecord, DeadLetter>,
                JdbcSplit,
                JdbcSplit> {

    JdbcSourceReader(JdbcReadSpec spec, SourceReaderContext context) {
        super(
                () -> new JdbcSplitReader(spec),
                (element, output, split) -> output.collect(element),
                context.getConfiguration(),
                context);
    }

    @Override
    public void start() {
        super.start();
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, JdbcSplit> finished) {
        context.sendSplitRequest();
    }

    @Override
    protected JdbcSplit initializedState(JdbcSplit split) {
        return split;
    }

    @Override
    protected JdbcSplit toSplitType(String splitId, JdbcSplit state) {
        return state;
    }
}

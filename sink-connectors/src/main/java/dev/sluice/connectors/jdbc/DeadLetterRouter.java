package dev.sluice.connectors.jdbc;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * Splits what a source reader produced into records (the main output) and dead letters (the {@link
 * DeadLetters#TAG} side output): a source reader has no side outputs of its own.
 */
final class DeadLetterRouter
        extends ProcessFunction<Either<SluiceRecord, DeadLetter>, SluiceRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(
            Either<SluiceRecord, DeadLetter> element, Context ctx, Collector<SluiceRecord> out) {
        if (element.isLeft()) {
            out.collect(element.left());
        } else {
            ctx.output(DeadLetters.TAG, element.right());
        }
    }
}

package dev.sluice.controller.planning;

import dev.sluice.sdk.factory.TranslationContext;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Counts the records passing a point of a batch run into a Flink accumulator, which the job's
 * result keeps after it ends: the rows read, written and dead-lettered of a run come from here. It
 * chains with its neighbours and passes records on by reference.
 */
final class RowCounter<T> extends RichMapFunction<T, T> {
    private static final long serialVersionUID = 1L;

    private final String name;
    private transient LongCounter counter;

    private RowCounter(String name) {
        this.name = name;
    }

    static <T> DataStream<T> count(DataStream<T> stream, String name, TranslationContext ctx) {
        return stream.map(new RowCounter<T>(name))
                .returns(stream.getType())
                .name(ctx.operatorName("count"))
                .uid(ctx.uid("count-" + name))
                .setParallelism(stream.getParallelism());
    }

    @Override
    public void open(OpenContext context) {
        counter = new LongCounter();
        getRuntimeContext().addAccumulator(name, counter);
    }

    @Override
    public T map(T value) {
        counter.add(1L);
        return value;
    }
}

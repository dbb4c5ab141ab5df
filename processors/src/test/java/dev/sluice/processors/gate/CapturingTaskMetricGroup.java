package dev.sluice.processors.gate;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;

/**
 * A task metric group for a test harness's {@code MockEnvironment} whose operator keeps the metrics
 * registered on it and on its sub-groups, so a test reads the counters a function registered.
 */
final class CapturingTaskMetricGroup extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {

    private final Map<String, InterceptingOperatorMetricGroup> subGroups = new HashMap<>();

    private final InterceptingOperatorMetricGroup operator =
            new InterceptingOperatorMetricGroup() {
                @Override
                public MetricGroup addGroup(String name) {
                    return subGroups.computeIfAbsent(
                            name, n -> new InterceptingOperatorMetricGroup());
                }
            };

    @Override
    public InternalOperatorMetricGroup getOrAddOperator(OperatorID operatorId, String name) {
        return operator;
    }

    /** The count of a counter on the operator group. */
    long count(String name) {
        return counter(operator.get(name), name);
    }

    /** The count of a counter in a sub-group of the operator group. */
    long count(String group, String name) {
        InterceptingOperatorMetricGroup g = subGroups.get(group);
        if (g == null) {
            throw new AssertionError("no metric group '" + group + "'");
        }
        return counter(g.get(name), group + "." + name);
    }

    private static long counter(Metric metric, String name) {
        if (!(metric instanceof Counter)) {
            throw new AssertionError("no counter '" + name + "'");
        }
        return ((Counter) metric).getCount();
    }
}

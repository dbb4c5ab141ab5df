package dev.sluice.processors.sql;

import dev.sluice.sdk.factory.TranslationContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.dag.Transformation;

/**
 * The operators Flink's planner added for a query: everything between the input row streams and the
 * result stream. Used to give them stable uids and to see what kind of plan the query became.
 *
 * <p>Flink names its operators' uids {@code <id>_<type>_...} where {@code <id>} counts every node
 * the JVM ever planned, so a resubmitted job would get other uids and could not restore its state.
 * The planner is configured to leave the counter out ({@link SqlTables#UID_FORMAT}); this class
 * prefixes each uid with the node's own ({@code TranslationContext#uid}) and numbers operators of
 * the same type in plan order (inputs first). The same query over the same inputs therefore gets
 * the same uids in every job, and a savepoint restores its aggregates' state.
 */
final class PlannerOperators {

    /** Node types whose output rows each stem from one input row (or are dropped). */
    private static final Set<String> ROW_PRESERVING =
            Set.of(
                    "stream-exec-table-source-scan",
                    "stream-exec-data-stream-scan",
                    "stream-exec-calc",
                    "stream-exec-sink",
                    "stream-exec-exchange",
                    "stream-exec-watermark-assigner",
                    "stream-exec-mini-batch-assigner",
                    "stream-exec-drop-update-before",
                    "stream-exec-over-aggregate");

    private final List<Transformation<?>> operators;
    private final Set<Integer> inputsRead;

    private PlannerOperators(List<Transformation<?>> operators, Set<Integer> inputsRead) {
        this.operators = operators;
        this.inputsRead = inputsRead;
    }

    /** The planner's operators between {@code inputs} and {@code output}. */
    static PlannerOperators of(Transformation<?> output, Collection<Transformation<?>> inputs) {
        Map<Integer, Integer> inputIndex = new HashMap<>();
        int i = 0;
        for (Transformation<?> t : inputs) {
            inputIndex.put(t.getId(), i++);
        }
        List<Transformation<?>> operators = new ArrayList<>();
        Set<Integer> read = new LinkedHashSet<>();
        walk(output, inputIndex, new HashSet<>(), operators, read);
        return new PlannerOperators(operators, read);
    }

    private static void walk(
            Transformation<?> t,
            Map<Integer, Integer> inputs,
            Set<Integer> seen,
            List<Transformation<?>> out,
            Set<Integer> read) {
        if (inputs.containsKey(t.getId())) {
            read.add(inputs.get(t.getId()));
            return;
        }
        if (!seen.add(t.getId())) {
            return;
        }
        for (Transformation<?> input : t.getInputs()) {
            walk(input, inputs, seen, out, read);
        }
        out.add(t);
    }

    /** Gives every planner operator a uid and name of this node (see the class comment). */
    void assignUids(TranslationContext context) {
        Map<String, Integer> repeats = new HashMap<>();
        for (Transformation<?> t : operators) {
            String base = t.getUid() != null ? t.getUid() : "operator";
            int n = repeats.merge(base, 1, Integer::sum);
            t.setUid(context.uid("sql/" + base + (n > 1 ? "-" + n : "")));
            t.setName(context.operatorName(t.getName()));
        }
    }

    /** Whether the plan reads one input and maps each of its rows to at most one result row. */
    boolean rowPreservingOverOneInput() {
        if (inputsRead.size() != 1) {
            return false;
        }
        for (Transformation<?> t : operators) {
            if (!ROW_PRESERVING.contains(type(t))) {
                return false;
            }
        }
        return true;
    }

    /** The planner's node types, in plan order (for tests and diagnostics). */
    List<String> types() {
        List<String> types = new ArrayList<>();
        operators.forEach(t -> types.add(type(t)));
        return types;
    }

    private static String type(Transformation<?> t) {
        String uid = t.getUid();
        if (uid == null) {
            return "";
        }
        int cut = uid.indexOf('_');
        return cut < 0 ? uid : uid.substring(0, cut);
    }
}

package dev.sluice.processors.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.config.Lex;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.util.Litmus;

/**
 * What the {@code sql} processor reads from the query's syntax tree (Calcite's parser, with Flink's
 * lexical rules: back-tick quoting, case-sensitive identifiers) besides what Flink's planner tells
 * it: the top-level GROUP BY and which output columns it is made of (the output key), where a plain
 * single-table SELECT's select list ends (to carry the input's key through it), and, best effort,
 * which input fields each output column is computed from.
 *
 * <p>Flink's planner stays the judge of whether the query is valid; this analysis only has to
 * understand the queries it accepts. A query Calcite cannot parse (Flink-only syntax) is simply not
 * analysed.
 */
final class QueryAnalysis {

    private static final SqlParser.Config CONFIG =
            SqlParser.config()
                    .withLex(Lex.JAVA)
                    .withIdentifierMaxLength(256)
                    .withConformance(SqlConformanceEnum.LENIENT);

    private static final Set<String> WINDOW_COLUMNS =
            Set.of("window_start", "window_end", "window_time");

    private final String query;
    private final SqlNode root;
    private final String parseError;
    private final SqlSelect top;

    private QueryAnalysis(String query, SqlNode root, String parseError) {
        this.query = query;
        this.root = root;
        this.parseError = parseError;
        this.top = root == null ? null : topSelect(root);
    }

    /** Parses {@code query}; never throws. */
    static QueryAnalysis of(String query) {
        try {
            SqlNodeList statements = SqlParser.create(query, CONFIG).parseStmtList();
            if (statements.size() != 1) {
                return new QueryAnalysis(query, null, "not exactly one statement");
            }
            return new QueryAnalysis(query, statements.get(0), null);
        } catch (SqlParseException | RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            int cut = message.indexOf('\n');
            return new QueryAnalysis(query, null, cut < 0 ? message : message.substring(0, cut));
        }
    }

    /** Whether the query could be analysed. */
    boolean parsed() {
        return root != null;
    }

    /** Why not, when it could not. */
    String parseError() {
        return parseError;
    }

    /** Whether the outermost SELECT aggregates with GROUP BY. */
    boolean groupBy() {
        return top != null && top.getGroup() != null && !groupItems().isEmpty();
    }

    /** The GROUP BY expressions, ROLLUP/CUBE/GROUPING SETS flattened, in order. */
    List<SqlNode> groupItems() {
        List<SqlNode> items = new ArrayList<>();
        if (top != null && top.getGroup() != null) {
            for (SqlNode item : top.getGroup()) {
                flattenGroup(item, items);
            }
        }
        return items;
    }

    private static void flattenGroup(SqlNode item, List<SqlNode> out) {
        if (item instanceof SqlNodeList) {
            for (SqlNode n : (SqlNodeList) item) {
                flattenGroup(n, out);
            }
        } else if (item.getKind() == SqlKind.ROLLUP
                || item.getKind() == SqlKind.CUBE
                || item.getKind() == SqlKind.GROUPING_SETS
                || item.getKind() == SqlKind.ROW) {
            for (SqlNode n : ((SqlCall) item).getOperandList()) {
                flattenGroup(n, out);
            }
        } else {
            for (SqlNode existing : out) {
                if (existing.equalsDeep(item, Litmus.IGNORE)) {
                    return;
                }
            }
            out.add(item);
        }
    }

    /**
     * The output positions of the GROUP BY expressions: a select item that is the same expression
     * (its alias aside), or the output column a grouped column keeps its name in.
     *
     * @throws IllegalArgumentException naming a GROUP BY expression that is not an output column
     */
    List<Integer> groupPositions(List<String> outputNames) {
        List<SqlNode> selectItems = top.getSelectList().getList();
        boolean star = selectItems.stream().anyMatch(QueryAnalysis::isStar);
        Set<Integer> positions = new LinkedHashSet<>();
        for (SqlNode group : groupItems()) {
            int found = -1;
            if (!star && selectItems.size() == outputNames.size()) {
                for (int i = 0; i < selectItems.size() && found < 0; i++) {
                    if (sameExpression(stripAs(selectItems.get(i)), group)) {
                        found = i;
                    }
                }
            }
            if (found < 0 && group instanceof SqlIdentifier) {
                String name = last((SqlIdentifier) group);
                if (outputNames.indexOf(name) == outputNames.lastIndexOf(name)) {
                    found = outputNames.indexOf(name);
                }
            }
            if (found < 0) {
                throw new IllegalArgumentException(
                        "GROUP BY "
                                + text(group)
                                + at(group.getParserPosition())
                                + " is not an output column");
            }
            positions.add(found);
        }
        return new ArrayList<>(positions);
    }

    /**
     * The query with {@code column} added at the end of its select list, when the query is one
     * plain SELECT from a single table (no DISTINCT, GROUP BY, HAVING, subquery or set operation):
     * the only kind of query whose rows each stem from one input row.
     */
    Optional<String> withExtraColumn(String column) {
        if (!(root instanceof SqlSelect)) {
            return Optional.empty();
        }
        SqlSelect select = (SqlSelect) root;
        if (select.isDistinct()
                || select.getGroup() != null
                || select.getHaving() != null
                || (select.getWindowList() != null && select.getWindowList().size() > 0)
                || select.getQualify() != null
                || select.getFetch() != null
                || select.getOffset() != null
                || (select.getOrderList() != null && select.getOrderList().size() > 0)) {
            return Optional.empty();
        }
        SqlNode from = select.getFrom();
        SqlNode table = from != null && from.getKind() == SqlKind.AS ? operand(from, 0) : from;
        if (!(table instanceof SqlIdentifier)
                || (from.getKind() == SqlKind.AS && ((SqlCall) from).operandCount() != 2)) {
            return Optional.empty();
        }
        if (containsQuery(select.getSelectList()) || containsQuery(select.getWhere())) {
            return Optional.empty();
        }
        SqlParserPos pos = from.getParserPosition();
        int fromStart = offset(pos.getLineNum(), pos.getColumnNum());
        String before = query.substring(0, fromStart);
        String trimmed = before.stripTrailing();
        if (!trimmed.toUpperCase(Locale.ROOT).endsWith("FROM")) {
            return Optional.empty();
        }
        int keyword = trimmed.length() - 4;
        if (keyword > 0 && Character.isJavaIdentifierPart(trimmed.charAt(keyword - 1))) {
            return Optional.empty();
        }
        return Optional.of(
                query.substring(0, keyword) + ", `" + column + "` " + query.substring(keyword));
    }

    /**
     * Best-effort lineage of the outermost SELECT: for each output column, the input fields its
     * expression names ({@code <input id>.<field>}; a window's start, end and time come from the
     * input's event-time field) and, as for a filter's condition and a join's keys, the fields its
     * WHERE, JOIN ... ON, GROUP BY and HAVING name, which decide which rows there are. Empty when
     * the query cannot be followed.
     *
     * @param fields the user-visible fields of each input, by input id
     * @param eventTimes the event-time field of each input that has one
     */
    Map<String, Set<String>> lineage(
            List<String> outputNames,
            Map<String, List<String>> fields,
            Map<String, String> eventTimes) {
        if (top == null) {
            return Map.of();
        }
        List<Source> sources = new ArrayList<>();
        List<SqlNode> conditions = new ArrayList<>();
        collectSources(top.getFrom(), sources, conditions, fields);
        conditions.add(top.getWhere());
        conditions.add(top.getGroup());
        conditions.add(top.getHaving());
        Set<String> shared = new LinkedHashSet<>();
        for (SqlNode condition : conditions) {
            names(condition, sources, fields, eventTimes, shared);
        }
        List<Set<String>> columns = new ArrayList<>();
        for (SqlNode item : top.getSelectList()) {
            if (isStar(item)) {
                SqlIdentifier star = (SqlIdentifier) item;
                for (Source s : sources) {
                    if (s.input == null) {
                        return Map.of();
                    }
                    if (star.names.size() > 1 && !star.names.get(0).equals(s.alias)) {
                        continue;
                    }
                    for (String f : fields.get(s.input)) {
                        columns.add(Set.of(s.input + "." + f));
                    }
                    if (s.windowed) {
                        String ts = s.input + "." + eventTimes.get(s.input);
                        for (int i = 0; i < WINDOW_COLUMNS.size(); i++) {
                            columns.add(eventTimes.containsKey(s.input) ? Set.of(ts) : Set.of());
                        }
                    }
                }
            } else {
                Set<String> from = new LinkedHashSet<>();
                names(stripAs(item), sources, fields, eventTimes, from);
                columns.add(from);
            }
        }
        if (columns.size() != outputNames.size()) {
            return Map.of();
        }
        Map<String, Set<String>> lineage = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            Set<String> all = new TreeSet<>(columns.get(i));
            all.addAll(shared);
            if (!all.isEmpty()) {
                lineage.put(outputNames.get(i), Collections.unmodifiableSet(all));
            }
        }
        return lineage;
    }

    /** Adds the input fields the identifiers in {@code node} name. */
    private static void names(
            SqlNode node,
            List<Source> sources,
            Map<String, List<String>> fields,
            Map<String, String> eventTimes,
            Set<String> out) {
        if (node == null) {
            return;
        }
        node.accept(
                new SqlBasicVisitor<Void>() {
                    @Override
                    public Void visit(SqlIdentifier id) {
                        resolve(id, sources, fields, eventTimes, out);
                        return null;
                    }
                });
    }

    /** A table in a FROM clause: its alias, the input it reads (null if not an input). */
    private static final class Source {
        final String alias;
        final String input;
        final boolean windowed;

        Source(String alias, String input, boolean windowed) {
            this.alias = alias;
            this.input = input;
            this.windowed = windowed;
        }
    }

    private static void collectSources(
            SqlNode from,
            List<Source> out,
            List<SqlNode> conditions,
            Map<String, List<String>> fields) {
        if (from == null) {
            return;
        }
        if (from instanceof SqlJoin) {
            SqlJoin join = (SqlJoin) from;
            collectSources(join.getLeft(), out, conditions, fields);
            collectSources(join.getRight(), out, conditions, fields);
            conditions.add(join.getCondition());
            return;
        }
        String alias = null;
        SqlNode table = from;
        if (from.getKind() == SqlKind.AS) {
            alias = last((SqlIdentifier) operand(from, 1));
            table = operand(from, 0);
        }
        if (table instanceof SqlIdentifier) {
            String name = last((SqlIdentifier) table);
            out.add(
                    new Source(
                            alias != null ? alias : name,
                            fields.containsKey(name) ? name : null,
                            false));
            return;
        }
        // A window table function: TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), ...)).
        String[] explicit = new String[1];
        table.accept(
                new SqlBasicVisitor<Void>() {
                    @Override
                    public Void visit(SqlCall call) {
                        if (call.getKind() == SqlKind.EXPLICIT_TABLE
                                && call.operand(0) instanceof SqlIdentifier
                                && explicit[0] == null) {
                            explicit[0] = last(call.operand(0));
                            return null;
                        }
                        if (call.getKind() == SqlKind.SELECT) {
                            return null;
                        }
                        return super.visit(call);
                    }
                });
        boolean windowed = explicit[0] != null && fields.containsKey(explicit[0]);
        out.add(new Source(alias, windowed ? explicit[0] : null, windowed));
    }

    private static void resolve(
            SqlIdentifier id,
            List<Source> sources,
            Map<String, List<String>> fields,
            Map<String, String> eventTimes,
            Set<String> out) {
        if (id.isStar()) {
            return;
        }
        String column = last(id);
        for (Source s : sources) {
            if (s.input == null) {
                continue;
            }
            if (id.names.size() > 1 && !id.names.get(id.names.size() - 2).equals(s.alias)) {
                continue;
            }
            if (fields.get(s.input).contains(column)) {
                out.add(s.input + "." + column);
            } else if (s.windowed
                    && WINDOW_COLUMNS.contains(column)
                    && eventTimes.containsKey(s.input)) {
                out.add(s.input + "." + eventTimes.get(s.input));
            }
        }
    }

    private static SqlSelect topSelect(SqlNode node) {
        if (node instanceof SqlSelect) {
            return (SqlSelect) node;
        }
        if (node instanceof SqlWith) {
            return topSelect(((SqlWith) node).body);
        }
        if (node instanceof SqlOrderBy) {
            return topSelect(((SqlOrderBy) node).query);
        }
        return null;
    }

    private static boolean containsQuery(SqlNode node) {
        if (node == null) {
            return false;
        }
        boolean[] found = new boolean[1];
        node.accept(
                new SqlBasicVisitor<Void>() {
                    @Override
                    public Void visit(SqlCall call) {
                        if (call.getKind().belongsTo(SqlKind.QUERY)) {
                            found[0] = true;
                            return null;
                        }
                        return super.visit(call);
                    }
                });
        return found[0];
    }

    private static boolean sameExpression(SqlNode a, SqlNode b) {
        if (a instanceof SqlIdentifier && b instanceof SqlIdentifier) {
            SqlIdentifier x = (SqlIdentifier) a;
            SqlIdentifier y = (SqlIdentifier) b;
            if (x.names.size() > 1 && y.names.size() > 1) {
                return x.names.equals(y.names);
            }
            return last(x).equals(last(y));
        }
        return a.equalsDeep(b, Litmus.IGNORE);
    }

    private static boolean isStar(SqlNode node) {
        return node instanceof SqlIdentifier && ((SqlIdentifier) node).isStar();
    }

    private static SqlNode stripAs(SqlNode node) {
        return node.getKind() == SqlKind.AS ? operand(node, 0) : node;
    }

    private static SqlNode operand(SqlNode call, int i) {
        return ((SqlCall) call).operand(i);
    }

    private static String last(SqlIdentifier id) {
        return id.names.get(id.names.size() - 1);
    }

    private String text(SqlNode node) {
        SqlParserPos pos = node.getParserPosition();
        if (pos == null || pos.getLineNum() < 1) {
            return node.toString();
        }
        int from = offset(pos.getLineNum(), pos.getColumnNum());
        int to = offset(pos.getEndLineNum(), pos.getEndColumnNum()) + 1;
        return to > from && to <= query.length()
                ? query.substring(from, to).trim()
                : node.toString();
    }

    static String at(SqlParserPos pos) {
        return pos == null || pos.getLineNum() < 1
                ? ""
                : " (line " + pos.getLineNum() + ", column " + pos.getColumnNum() + ")";
    }

    /** The 0-based offset of a 1-based line and column. */
    private int offset(int line, int column) {
        int start = 0;
        for (int l = 1; l < line; l++) {
            int next = query.indexOf('\n', start);
            if (next < 0) {
                return query.length();
            }
            start = next + 1;
        }
        return Math.min(query.length(), start + column - 1);
    }
}

package dev.sluice.connectors.jdbc;

import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * The statements of one {@code jdbc} source: what it reads ({@code FROM} a table, or a user's query
 * as a subquery), the columns it selects by name (so a column added to the table after planning
 * changes nothing), and the range predicate of each {@link JdbcSplit}.
 */
final class JdbcQuery implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The alias of a user's query in the statements that wrap it. */
    static final String QUERY_ALIAS = "sluice_q";

    private final String from;
    private final String columns;
    private final String splitColumn;
    private final boolean integralSplit;

    private JdbcQuery(String from, String columns, String splitColumn, boolean integralSplit) {
        this.from = from;
        this.columns = columns;
        this.splitColumn = splitColumn;
        this.integralSplit = integralSplit;
    }

    /** Reads a table, {@code qualified} as the dialect quotes it. */
    static JdbcQuery ofTable(String qualified) {
        return new JdbcQuery(qualified, "*", null, false);
    }

    /** Reads the rows of {@code query} (one SELECT, without a trailing semicolon). */
    static JdbcQuery ofQuery(String query) {
        return new JdbcQuery("(" + query + ") " + QUERY_ALIAS, "*", null, false);
    }

    /** The same source selecting exactly these columns. */
    JdbcQuery selecting(JdbcDialect dialect, List<JdbcSourceColumn> selected) {
        StringBuilder sb = new StringBuilder();
        for (JdbcSourceColumn c : selected) {
            sb.append(sb.length() == 0 ? "" : ", ").append(dialect.quote(c.label()));
        }
        return new JdbcQuery(from, sb.toString(), splitColumn, integralSplit);
    }

    /** The same source split by ranges of {@code column}. */
    JdbcQuery splitBy(JdbcDialect dialect, JdbcSourceColumn column) {
        return new JdbcQuery(from, columns, dialect.quote(column.label()), column.isIntegral());
    }

    /** A statement that returns no row but the result's metadata. */
    String probe() {
        return "SELECT * FROM " + from + " WHERE 1 = 0";
    }

    boolean isSplit() {
        return splitColumn != null;
    }

    /** Whether range bounds are whole numbers (bound as longs). */
    boolean integralSplit() {
        return integralSplit;
    }

    /** The statement that finds the range to split: MIN and MAX of the split column. */
    String bounds() {
        Objects.requireNonNull(splitColumn, "not a split read");
        return "SELECT MIN(" + splitColumn + "), MAX(" + splitColumn + ") FROM " + from;
    }

    /** The statement that reads {@code split}; its parameters are bound by {@link #bind}. */
    String select(JdbcSplit split) {
        StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM ");
        sql.append(from);
        if (split.isWhole()) {
            return sql.toString();
        }
        sql.append(" WHERE ");
        if (split.lower() != null) {
            sql.append('(')
                    .append(splitColumn)
                    .append(" >= ? AND ")
                    .append(splitColumn)
                    .append(split.upperInclusive() ? " <= ?" : " < ?")
                    .append(')');
            if (split.withNulls()) {
                sql.append(" OR ");
            }
        }
        if (split.withNulls()) {
            sql.append(splitColumn).append(" IS NULL");
        }
        return sql.toString();
    }

    /** Binds the bounds of {@code split} to the statement of {@link #select}. */
    void bind(PreparedStatement statement, JdbcSplit split) throws SQLException {
        if (split.isWhole() || split.lower() == null) {
            return;
        }
        bind(statement, 1, split.lower());
        bind(statement, 2, split.upper());
    }

    private void bind(PreparedStatement statement, int index, BigDecimal value)
            throws SQLException {
        if (integralSplit) {
            statement.setLong(index, value.longValueExact());
        } else {
            statement.setBigDecimal(index, value);
        }
    }
}

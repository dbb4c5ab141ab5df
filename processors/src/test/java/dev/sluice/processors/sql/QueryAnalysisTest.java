package dev.sluice.processors.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the {@code sql} processor reads from a query's syntax tree. */
class QueryAnalysisTest {

    private static final Map<String, List<String>> FIELDS =
            Map.of(
                    "orders", List.of("id", "customer", "amount", "ts"),
                    "customers", List.of("id", "name"));

    @Test
    void testGroupByColumnsAreFoundByExpressionOrByName() {
        QueryAnalysis byExpression =
                QueryAnalysis.of(
                        "SELECT COUNT(*) AS n, UPPER(customer) AS who, o.id FROM orders o"
                                + " GROUP BY o.id, UPPER(customer)");
        QueryAnalysis byName =
                QueryAnalysis.of("SELECT * FROM orders GROUP BY customer, ROLLUP(id, customer)");

        assertThat(byExpression.groupBy()).isTrue();
        assertThat(byExpression.groupPositions(List.of("n", "who", "id"))).containsExactly(2, 1);
        assertThat(byName.groupPositions(List.of("id", "customer", "amount", "ts")))
                .containsExactly(1, 0);
    }

    @Test
    void testAGroupByExpressionMissingFromTheOutputIsNamedWithItsPosition() {
        QueryAnalysis analysis =
                QueryAnalysis.of("SELECT COUNT(*) AS n\nFROM orders\nGROUP BY UPPER(customer)");

        assertThatThrownBy(() -> analysis.groupPositions(List.of("n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GROUP BY UPPER(customer) (line 3, column 10) is not an output column");
    }

    @Test
    void testQueriesWithoutGroupByAreNotAggregates() {
        assertThat(QueryAnalysis.of("SELECT COUNT(*) AS n FROM orders").groupBy()).isFalse();
        assertThat(
                        QueryAnalysis.of(
                                        "SELECT * FROM (SELECT customer, COUNT(*) AS n FROM orders"
                                                + " GROUP BY customer) t")
                                .groupBy())
                .isFalse();
    }

    @Test
    void testTheKeyColumnIsAddedToTheSelectListOfAPlainSelect() {
        assertThat(
                        QueryAnalysis.of("SELECT id, amount AS a FROM orders o WHERE amount > 1")
                                .withExtraColumn("__k"))
                .contains("SELECT id, amount AS a , `__k` FROM orders o WHERE amount > 1");
        assertThat(
                        QueryAnalysis.of("select *\n  -- all of it\n  from `orders`;")
                                .withExtraColumn("__k"))
                .contains("select *\n  -- all of it\n  , `__k` from `orders`;");
    }

    @Test
    void testTheKeyColumnIsNotAddedWhereRowsDoNotStemFromOneInputRow() {
        for (String query :
                List.of(
                        "SELECT DISTINCT customer FROM orders",
                        "SELECT customer FROM orders GROUP BY customer",
                        "SELECT o.id FROM orders o JOIN customers c ON o.customer = c.id",
                        "SELECT id FROM orders WHERE customer IN (SELECT id FROM customers)",
                        "SELECT id FROM orders ORDER BY ts",
                        "WITH x AS (SELECT * FROM orders) SELECT * FROM x",
                        "SELECT id FROM orders UNION ALL SELECT id FROM orders",
                        "SELECT * FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1'"
                                + " MINUTE))",
                        "SELECT id FROM /* the table */ orders")) {
            assertThat(QueryAnalysis.of(query).withExtraColumn("__k")).as(query).isEmpty();
        }
    }

    @Test
    void testLineageFollowsNamesAliasesStarsWindowsAndConditions() {
        assertThat(
                        QueryAnalysis.of(
                                        "SELECT o.id, c.name AS who, amount * 2 AS twice,"
                                                + " COUNT(*) AS n FROM orders o JOIN customers c"
                                                + " ON o.customer = c.id")
                                .lineage(List.of("id", "who", "twice", "n"), FIELDS, Map.of()))
                .containsExactly(
                        Map.entry("id", Set.of("orders.id", "orders.customer", "customers.id")),
                        Map.entry(
                                "who", Set.of("customers.name", "orders.customer", "customers.id")),
                        Map.entry(
                                "twice",
                                Set.of("orders.amount", "orders.customer", "customers.id")),
                        Map.entry("n", Set.of("orders.customer", "customers.id")));
        assertThat(
                        QueryAnalysis.of(
                                        "SELECT * FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts),"
                                                + " INTERVAL '1' MINUTE))")
                                .lineage(
                                        List.of(
                                                "id",
                                                "customer",
                                                "amount",
                                                "ts",
                                                "window_start",
                                                "window_end",
                                                "window_time"),
                                        FIELDS,
                                        Map.of("orders", "ts")))
                .containsEntry("customer", Set.of("orders.customer"))
                .containsEntry("window_end", Set.of("orders.ts"))
                .hasSize(7);
    }

    @Test
    void testLineageIsEmptyWhenTheOutputCannotBeFollowed() {
        assertThat(
                        QueryAnalysis.of("SELECT * FROM (SELECT id FROM orders) t")
                                .lineage(List.of("id"), FIELDS, Map.of()))
                .isEmpty();
    }

    @Test
    void testAQueryCalciteCannotParseIsNotAnalysed() {
        QueryAnalysis analysis = QueryAnalysis.of("SELECT FROM WHERE");

        assertThat(analysis.parsed()).isFalse();
        assertThat(analysis.parseError())
                .isEqualTo("Incorrect syntax near the keyword 'FROM' at line 1, column 8.");
        assertThat(analysis.groupBy()).isFalse();
        assertThat(analysis.withExtraColumn("__k")).isEmpty();
        assertThat(analysis.lineage(List.of(), FIELDS, Map.of())).isEmpty();
    }
}

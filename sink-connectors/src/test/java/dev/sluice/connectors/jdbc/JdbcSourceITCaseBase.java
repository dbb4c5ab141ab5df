package dev.sluice.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.connectors.sink.Rendering;
import dev.sluice.connectors.sink.TestSourceContexts;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.SourceFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * The {@code jdbc} batch source against a real database: the schema derived from the table, whole
 * and split reads in bounded Flink jobs, a query, and each refusal. Subclasses bring the database,
 * the {@code items} table (4 rows, ids 1-4; {@code qty} 5, NULL, 10, 20) and what to expect.
 */
abstract class JdbcSourceITCaseBase {

    static final String PIPELINE = "jdbc-pipe";

    abstract String url();

    abstract String user();

    abstract String password();

    /** The fields derived from {@code items}, as {@link Rendering#fields}. */
    abstract List<String> expectedItemFields();

    /** The rows of {@code items}, as {@link Rendering#record}, by id. */
    abstract List<String> expectedItemRows();

    /** A user whose password the server checks (its password is not "wrong-secret"). */
    abstract String loginWithPassword();

    /** What the driver says when the password is wrong. */
    abstract String wrongPasswordFragment();

    /** What the database says about the unknown column {@code nope}. */
    abstract String unknownColumnFragment();

    // ---------------------------------------------------------------- schema and reads

    @Test
    void theSchemaIsDerivedFromTheColumnsOfTheTable() {
        SourceFactory.PlannedSource planned = plan(Map.of("table", "items"));

        assertThat(planned.output().nodeId()).isEqualTo("source");
        assertThat(planned.output().kind()).isEqualTo(StreamKind.APPEND);
        assertThat(planned.output().keySchema()).isEmpty();
        assertThat(planned.output().schema().getFullName()).isEqualTo("jdbc_pipe.source.Value");
        assertThat(Rendering.fields(planned.output().schema()))
                .containsExactlyElementsOf(expectedItemFields());
    }

    @Test
    void aTableIsReadWholeWithoutASplitColumn() throws Exception {
        TestSourceContexts.Output out = run(Map.of("table", "items"), 2);

        assertThat(out.deadLetters).isEmpty();
        assertThat(rows(out.records)).containsExactlyElementsOf(expectedItemRows());
        for (SluiceRecord r : out.records) {
            assertThat(r.key()).isNull();
        }
    }

    @Test
    void aSplitColumnReadsRangesInParallelAndKeepsTheRowsWhereItIsNull() throws Exception {
        TestSourceContexts.Output out =
                run(Map.of("table", "items", "splitColumn", "qty", "fetchSize", 1), 2);

        assertThat(out.deadLetters).isEmpty();
        assertThat(rows(out.records)).containsExactlyElementsOf(expectedItemRows());
    }

    @Test
    void aQueryIsReadAsASubqueryAndSplitByAColumnOfItsResult() throws Exception {
        Map<String, Object> config =
                Map.of(
                        "query",
                        "SELECT id, name, qty * 2 AS twice FROM items WHERE id > 1 ;",
                        "splitColumn",
                        "ID");

        SourceFactory.PlannedSource planned = plan(config);
        TestSourceContexts.Output out = TestSourceContexts.runBatch(planned, PIPELINE, 2);

        assertThat(Rendering.fields(planned.output().schema()))
                .containsExactly("id long", "name string", queryTwiceField());
        assertThat(out.deadLetters).isEmpty();
        assertThat(rows(out.records))
                .containsExactly(
                        "id=2, name=bob, twice=null",
                        "id=3, name=cy, twice=20",
                        "id=4, name=dee, twice=40");
    }

    /** How {@code qty * 2} of an INT column is typed. */
    abstract String queryTwiceField();

    // ---------------------------------------------------------------- refusals

    @Test
    void aStreamingPipelineIsRefused() {
        Throwable t =
                catchThrowable(
                        () ->
                                TestSourceContexts.plan(
                                        new JdbcSourceFactory(),
                                        config(Map.of("table", "items")),
                                        PIPELINE,
                                        Map.of(),
                                        false));

        assertThat(t).isInstanceOf(ConfigValidationException.class);
        assertThat(((ConfigValidationException) t).pointer()).isEqualTo("/sources/0/config");
        assertThat(t.getMessage())
                .isEqualTo(
                        "/sources/0/config: the jdbc source is a batch source: it reads its table"
                                + " or query once and ends, so it runs in pipelines with \"mode\":"
                                + " \"batch\"; to stream a table's changes use postgres-cdc or"
                                + " mysql-cdc");
    }

    @Test
    void tableAndQueryTogetherAreRefused() {
        assertRefused(
                Map.of("table", "items", "query", "SELECT 1"),
                "/sources/0/config",
                "/sources/0/config: set either 'table' or 'query', not both");
    }

    @Test
    void neitherTableNorQueryIsRefused() {
        assertRefused(
                Map.of(),
                "/sources/0/config",
                "/sources/0/config: set 'table' (a table or view to read) or 'query' (a SELECT"
                        + " whose rows are read)");
    }

    @Test
    void aMissingTableIsRefused() {
        assertRefused(
                Map.of("table", "no_such_table"),
                "/sources/0/config/table",
                "/sources/0/config/table: table 'no_such_table' does not exist at " + url());
    }

    @Test
    void aQueryTheDatabaseRejectsIsRefusedWithItsMessage() {
        ConfigValidationException e = refusal(config(Map.of("query", "SELECT nope FROM items")));

        assertThat(e.pointer()).isEqualTo("/sources/0/config/query");
        assertThat(e.getMessage())
                .startsWith("/sources/0/config/query: cannot read the query at " + url() + ": ")
                .contains(unknownColumnFragment());
    }

    @Test
    void aSplitColumnThatIsNotANumberIsRefused() {
        ConfigValidationException e =
                refusal(config(Map.of("table", "items", "splitColumn", "name")));

        assertThat(e.pointer()).isEqualTo("/sources/0/config/splitColumn");
        assertThat(e.getMessage())
                .isEqualTo(
                        "/sources/0/config/splitColumn: column 'name' is varchar; the split"
                                + " column must be numeric (an integer, numeric/decimal, real or"
                                + " double column)");
    }

    @Test
    void aWrongPasswordIsRefusedAtUsernameWithTheDriversMessage() {
        String login = loginWithPassword();
        Map<String, Object> config = config(Map.of("table", "items"));
        config.put("username", login);
        config.put("password", "wrong-secret");

        ConfigValidationException e = refusal(config);

        assertThat(e.pointer()).isEqualTo("/sources/0/config/username");
        assertThat(e.getMessage())
                .startsWith(
                        "/sources/0/config/username: cannot log in to "
                                + url()
                                + " as '"
                                + login
                                + "': ")
                .contains(wrongPasswordFragment())
                .doesNotContain("wrong-secret");
    }

    // ---------------------------------------------------------------- helpers

    Map<String, Object> config(Map<String, Object> extra) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("url", url());
        config.put("username", user());
        config.put("password", password());
        config.putAll(extra);
        return config;
    }

    SourceFactory.PlannedSource plan(Map<String, Object> extra) {
        return TestSourceContexts.plan(
                new JdbcSourceFactory(), config(extra), PIPELINE, Map.of(), true);
    }

    TestSourceContexts.Output run(Map<String, Object> extra, int parallelism) throws Exception {
        return TestSourceContexts.runBatch(plan(extra), PIPELINE, parallelism);
    }

    static List<String> rows(List<SluiceRecord> records) {
        List<GenericRecord> values = new ArrayList<>();
        records.forEach(r -> values.add(r.value()));
        return Rendering.sorted(values);
    }

    void assertRefused(Map<String, Object> extra, String pointer, String message) {
        ConfigValidationException e = refusal(config(extra));
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.pointer()).isEqualTo(pointer);
    }

    ConfigValidationException refusal(Map<String, Object> config) {
        Throwable t =
                catchThrowable(
                        () ->
                                TestSourceContexts.plan(
                                        new JdbcSourceFactory(), config, PIPELINE, Map.of(), true));
        assertThat(t).isInstanceOf(ConfigValidationException.class);
        return (ConfigValidationException) t;
    }
}

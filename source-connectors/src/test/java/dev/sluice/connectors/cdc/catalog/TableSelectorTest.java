package dev.sluice.connectors.cdc.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableSelectorTest {

    private static final List<String> TABLES =
            List.of("public.movies", "public.talent", "public.movie_tags", "audit.log");

    @Test
    void testNamesAndPatternsInEntryOrderEachOnce() {
        Map<String, Integer> selected =
                TableSelector.select(
                        List.of("talent", "public\\.movie.*", "public.movies"), TABLES, "public");

        assertThat(selected)
                .containsExactly(
                        Map.entry("public.talent", 0),
                        Map.entry("public.movie_tags", 1),
                        Map.entry("public.movies", 1));
        assertThat(TableSelector.select(List.of("AUDIT.LOG"), TABLES, "public"))
                .containsOnlyKeys("audit.log");
    }

    @Test
    void testAnEntryMatchingNothingIsAnError() {
        CaptureProblem p =
                catchThrowableOfType(
                        CaptureProblem.class,
                        () -> TableSelector.select(List.of("movies", "films"), TABLES, "public"));
        assertThat(p.configPath()).isEqualTo("tables/1");
        assertThat(p.getMessage())
                .isEqualTo(
                        "no table matches 'films' (looked up as public.films); tables there:"
                                + " public.movies, public.talent, public.movie_tags, audit.log");

        assertThat(
                        catchThrowableOfType(
                                        CaptureProblem.class,
                                        () ->
                                                TableSelector.select(
                                                        List.of("public.(x"), TABLES, "public"))
                                .configPath())
                .isEqualTo("tables/0");
        assertThat(
                        catchThrowableOfType(
                                        CaptureProblem.class,
                                        () -> TableSelector.select(List.of(), TABLES, "public"))
                                .configPath())
                .isEqualTo("tables");
    }

    @Test
    void testExactRegexMatchesOnlyTheName() {
        String regex = TableSelector.exactRegex("public.a$b");
        assertThat(regex).isEqualTo("public\\.a\\$b");
        assertThat("public.a$b".matches(regex)).isTrue();
        assertThat("publicXa$b".matches(regex)).isFalse();
    }
}

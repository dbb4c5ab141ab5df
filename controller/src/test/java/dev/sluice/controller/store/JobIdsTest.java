package dev.sluice.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobIdsTest {

    @Test
    void aFusedJobIsStoredAsItsPlainIdSoOldStoresReadUnchanged() {
        assertThat(JobIds.format(Map.of(JobIds.FUSED, "abc123"))).isEqualTo("abc123");
        assertThat(JobIds.parse("abc123")).containsExactly(Map.entry("", "abc123"));
        assertThat(JobIds.parse("file:/data/savepoints/p/savepoint-1"))
                .containsExactly(Map.entry("", "file:/data/savepoints/p/savepoint-1"));
    }

    @Test
    void keyedJobsRoundTripInOrderEvenASingleOne() {
        Map<String, String> jobs = new LinkedHashMap<>();
        jobs.put("paid", "id1");
        jobs.put("source-movies", "file:/a=b/savepoint-2");
        String text = JobIds.format(jobs);
        assertThat(text).isEqualTo("paid=id1\nsource-movies=file:/a=b/savepoint-2\n");
        assertThat(JobIds.parse(text)).containsExactlyEntriesOf(jobs);

        String one = JobIds.format(Map.of("slim", "id2"));
        assertThat(one).isEqualTo("slim=id2\n");
        assertThat(JobIds.parse(one)).containsExactly(Map.entry("slim", "id2"));
    }

    @Test
    void nothingIsNull() {
        assertThat(JobIds.format(Map.of())).isNull();
        assertThat(JobIds.parse(null)).isEmpty();
        assertThat(JobIds.parse("")).isEmpty();
    }

    @Test
    void keysMustNotBreakTheFormat() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("a=b", "x");
        bad.put("c", "y");
        assertThatThrownBy(() -> JobIds.format(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad job key 'a=b'");
    }
}

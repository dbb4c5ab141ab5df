package dev.sluice.processors.join;

import static dev.sluice.processors.join.JoinFixtures.MOVIES;
import static dev.sluice.processors.join.JoinFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sdk.SluiceRecord;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

/** Join values as state keys: which values meet, and records that have none. */
class JoinKeysTest {

    @Test
    void testEqualValuesOfCompatibleTypesMeet() {
        assertThat(JoinKeys.of(7)).isEqualTo("=7").isEqualTo(JoinKeys.of(7L));
        assertThat(JoinKeys.of(new Utf8("GOLD")))
                .isEqualTo("=GOLD")
                .isEqualTo(JoinKeys.of("GOLD"))
                .isEqualTo(
                        JoinKeys.of(
                                new GenericData.EnumSymbol(
                                        Schema.createEnum(
                                                "Tier", null, null, java.util.List.of("GOLD")),
                                        "GOLD")));
        assertThat(JoinKeys.of(true)).isEqualTo("=true");
    }

    @Test
    void testBytesCompareByContent() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 1, (byte) 0xab});
        buffer.get(); // a read position must neither count nor move
        assertThat(JoinKeys.of(buffer)).isEqualTo("=01ab");
        assertThat(buffer.position()).isEqualTo(1);
        Schema fixed = Schema.createFixed("Id", null, null, 2);
        assertThat(JoinKeys.of(new GenericData.Fixed(fixed, new byte[] {1, (byte) 0xab})))
                .isEqualTo("=01ab");
    }

    @Test
    void testNullAndEmptyAreDifferent() {
        assertThat(JoinKeys.of(null)).isEqualTo(JoinKeys.NO_VALUE);
        assertThat(JoinKeys.hasValue(JoinKeys.of(null))).isFalse();
        assertThat(JoinKeys.of("")).isEqualTo("=");
        assertThat(JoinKeys.hasValue(JoinKeys.of(""))).isTrue();
    }

    @Test
    void testSelectorKeysByTheFieldAndNeverFails() throws Exception {
        JoinKeySelector selector = new JoinKeySelector("director_id");
        GenericRecord movie = new GenericData.Record(MOVIES);
        movie.put("id", 1L);
        movie.put("title", new Utf8("Heat"));
        movie.put("director_id", 7L);
        assertThat(selector.getKey(SluiceRecord.of(null, movie, 0L))).isEqualTo("=7");
        movie.put("director_id", null);
        assertThat(selector.getKey(SluiceRecord.of(null, movie, 0L))).isEqualTo(JoinKeys.NO_VALUE);
        // a tombstone, and a record of a schema without the field
        assertThat(selector.getKey(SluiceRecord.of(null, null, 0L))).isEqualTo(JoinKeys.NO_VALUE);
        GenericRecord other =
                new GenericData.Record(record("Other", "{\"name\":\"id\",\"type\":\"long\"}"));
        other.put("id", 7L);
        assertThat(selector.getKey(SluiceRecord.of(null, other, 0L))).isEqualTo(JoinKeys.NO_VALUE);
        // and back to the first schema
        movie.put("director_id", 8L);
        assertThat(selector.getKey(SluiceRecord.of(null, movie, 0L))).isEqualTo("=8");
    }

    @Test
    void testRowKeysAreBase64() {
        assertThat(JoinKeys.rowKey(new byte[] {0, 1, 2})).isEqualTo("AAEC");
    }
}

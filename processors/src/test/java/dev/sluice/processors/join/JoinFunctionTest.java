package dev.sluice.processors.join;

import static dev.sluice.processors.join.JoinFixtures.MOVIES;
import static dev.sluice.processors.join.JoinFixtures.TALENT;
import static dev.sluice.processors.join.JoinFixtures.moviesWithTalent;
import static dev.sluice.processors.join.JoinFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sdk.DeadLetter;
import dev.sluice.sdk.DeadLetters;
import dev.sluice.sdk.SluiceRecord;
import dev.sluice.sdk.typeutils.SluiceRecordTypeInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The join's run-time semantics on movies (left, keyed by movie) ⋈ talent (right) on {@code
 * movies.director_id = talent.id}, in Flink's keyed two-input harness: exact outputs (keys, values,
 * tombstones, origins) for inserts, updates and deletes on both sides, state that survives a
 * snapshot and restore, and state TTL.
 */
class JoinFunctionTest {

    /** Where state lives: the heap keeps objects, RocksDB serializes every row. */
    enum Backend {
        HEAP,
        ROCKSDB
    }

    private static final byte[] M1 = bytes("movie-1");
    private static final byte[] M2 = bytes("movie-2");
    private static final byte[] M3 = bytes("movie-3");
    private static final byte[] T7 = bytes("talent-7");
    private static final byte[] T8 = bytes("talent-8");

    private static final Schema INNER = moviesWithTalent(false).outputSchema();
    private static final Schema LEFT = moviesWithTalent(true).outputSchema();

    private long offset;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static GenericRecord movie(long id, String title, Long directorId, String op) {
        GenericRecord r = new GenericData.Record(MOVIES);
        r.put("id", id);
        r.put("title", new Utf8(title));
        r.put("director_id", directorId);
        r.put("__op", op == null ? null : new Utf8(op));
        return r;
    }

    private static GenericRecord movie(long id, String title, Long directorId) {
        return movie(id, title, directorId, "u");
    }

    private static GenericRecord talent(long id, String name, String op) {
        GenericRecord r = new GenericData.Record(TALENT);
        r.put("id", id);
        r.put("name", new Utf8(name));
        r.put("born", 1970);
        r.put("__op", op == null ? null : new Utf8(op));
        return r;
    }

    private static GenericRecord talent(long id, String name) {
        return talent(id, name, "u");
    }

    /** A record as the movies CDC source reads it, at the next offset. */
    private SluiceRecord fromMovies(byte[] key, GenericRecord value) {
        long o = offset++;
        return SluiceRecord.fromKafka(
                        "studio.public.movies", 0, o, 1_000L + o, key, bytes("movie-bytes-" + o))
                .withValue(value);
    }

    private SluiceRecord fromTalent(byte[] key, GenericRecord value) {
        long o = offset++;
        return SluiceRecord.fromKafka(
                        "studio.public.talent", 1, o, 1_000L + o, key, bytes("talent-bytes-" + o))
                .withValue(value);
    }

    /** The output row of a movie and its director (null: no director). */
    private static GenericRecord joined(Schema output, GenericRecord movie, GenericRecord talent) {
        GenericData.Record r = new GenericData.Record(output);
        r.put("id", movie.get("id"));
        r.put("title", movie.get("title"));
        r.put("director_id", movie.get("director_id"));
        r.put("__op", movie.get("__op"));
        if (talent != null) {
            r.put("talent_id", talent.get("id"));
            r.put("name", talent.get("name"));
            r.put("born", talent.get("born"));
            r.put("talent___op", talent.get("__op"));
        }
        return r;
    }

    /** An output keyed by {@code key} with the time and origin of {@code cause}. */
    private static SluiceRecord emitted(SluiceRecord cause, byte[] key, GenericRecord value) {
        return SluiceRecord.of(
                key,
                value,
                cause.timestamp(),
                cause.sourceTopic(),
                cause.sourcePartition(),
                cause.sourceOffset(),
                cause.sourceKey(),
                cause.sourceValue(),
                cause.replays());
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, SluiceRecord, SluiceRecord, SluiceRecord>
            create(boolean leftJoin, Duration ttl, Backend backend) throws Exception {
        Schema output = leftJoin ? LEFT : INNER;
        JoinFunction function =
                new JoinFunction(
                        "enriched",
                        "movies",
                        "talent",
                        leftJoin,
                        MOVIES.toString(),
                        TALENT.toString(),
                        output.toString(),
                        ttl);
        KeyedTwoInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord, SluiceRecord>
                harness =
                        new KeyedTwoInputStreamOperatorTestHarness<>(
                                new KeyedCoProcessOperator<>(function),
                                new JoinKeySelector("director_id"),
                                new JoinKeySelector("id"),
                                Types.STRING);
        if (backend == Backend.ROCKSDB) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        harness.setup(
                new SluiceRecordTypeInfo(output).createSerializer(new SerializerConfigImpl()));
        return harness;
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, SluiceRecord, SluiceRecord, SluiceRecord>
            open(boolean leftJoin, Duration ttl, Backend backend) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord, SluiceRecord>
                harness = create(leftJoin, ttl, backend);
        harness.open();
        assertThat(harness.getOperator().getKeyedStateBackend().getClass().getSimpleName())
                .isEqualTo(
                        backend == Backend.ROCKSDB
                                ? "RocksDBKeyedStateBackend"
                                : "HeapKeyedStateBackend");
        return harness;
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, SluiceRecord, SluiceRecord, SluiceRecord>
            open(boolean leftJoin) throws Exception {
        return open(leftJoin, null, Backend.HEAP);
    }

    private static void left(
            KeyedTwoInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord, SluiceRecord>
                    harness,
            SluiceRecord record)
            throws Exception {
        harness.processElement1(record, record.timestamp());
    }

    private static void right(
            KeyedTwoInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord, SluiceRecord>
                    harness,
            SluiceRecord record)
            throws Exception {
        harness.processElement2(record, record.timestamp());
    }

    /** The outputs since the last call, in order. */
    private static List<SluiceRecord> drain(
            KeyedTwoInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord, SluiceRecord>
                    harness) {
        List<SluiceRecord> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    private static List<DeadLetter> deadLetters(
            KeyedTwoInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord, SluiceRecord>
                    harness) {
        Queue<StreamRecord<DeadLetter>> queue = harness.getSideOutput(DeadLetters.TAG);
        List<DeadLetter> out = new ArrayList<>();
        if (queue != null) {
            queue.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void testALeftRowThatMovesToAnotherJoinValueIsForgottenUnderTheOldOne(Backend backend)
            throws Exception {
        try (var harness = open(false, null, backend)) {
            SluiceRecord ann = fromTalent(T7, talent(7, "Ann"));
            SluiceRecord bo = fromTalent(T8, talent(8, "Bo"));
            right(harness, ann);
            right(harness, bo);
            SluiceRecord heat = fromMovies(M1, movie(1, "Heat", 7L));
            left(harness, heat);
            assertThat(drain(harness))
                    .containsExactly(emitted(heat, M1, joined(INNER, heat.value(), ann.value())));

            // The movie's director changes from 7 to 8: the step before the join retracts its
            // entry under 7 (silently), then the new row joins director 8 under the same key.
            left(harness, JoinMoves.retraction(M1, "=7", heat.timestamp()));
            SluiceRecord moved = fromMovies(M1, movie(1, "Heat", 8L));
            left(harness, moved);
            assertThat(drain(harness))
                    .containsExactly(emitted(moved, M1, joined(INNER, moved.value(), bo.value())));

            // An update of director 7 no longer re-emits the movie with its old director.
            right(harness, fromTalent(T7, talent(7, "Ann B.")));
            assertThat(drain(harness)).isEmpty();

            // The movie loses its director: the inner join deletes its output.
            left(harness, JoinMoves.retractionAndDelete(M1, "=8", moved.timestamp()));
            List<SluiceRecord> deleted = drain(harness);
            assertThat(deleted).hasSize(1);
            assertThat(deleted.get(0).key()).isEqualTo(M1);
            assertThat(deleted.get(0).value()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void testInnerJoinEmitsMatchesAndUpdatesThemInPlace(Backend backend) throws Exception {
        try (var harness = open(false, null, backend)) {
            SluiceRecord heat = fromMovies(M1, movie(1, "Heat", 7L));
            SluiceRecord ronin = fromMovies(M2, movie(2, "Ronin", 7L));
            SluiceRecord alien = fromMovies(M3, movie(3, "Alien", 8L));
            left(harness, heat);
            left(harness, ronin);
            left(harness, alien);
            // no director known yet: an inner join emits nothing
            assertThat(drain(harness)).isEmpty();

            SluiceRecord ann = fromTalent(T7, talent(7, "Ann"));
            right(harness, ann);
            assertThat(drain(harness))
                    .containsExactlyInAnyOrder(
                            emitted(ann, M1, joined(INNER, heat.value(), ann.value())),
                            emitted(ann, M2, joined(INNER, ronin.value(), ann.value())));

            // the director changes: both movies are re-emitted under their own keys
            SluiceRecord annB = fromTalent(T7, talent(7, "Ann B."));
            right(harness, annB);
            assertThat(drain(harness))
                    .containsExactlyInAnyOrder(
                            emitted(annB, M1, joined(INNER, heat.value(), annB.value())),
                            emitted(annB, M2, joined(INNER, ronin.value(), annB.value())));

            // a movie changes: only that movie, joined with the latest director
            SluiceRecord heat2 = fromMovies(M1, movie(1, "Heat (1995)", 7L));
            left(harness, heat2);
            assertThat(drain(harness))
                    .containsExactly(
                            emitted(heat2, M1, joined(INNER, heat2.value(), annB.value())));

            // the other director arrives
            SluiceRecord bo = fromTalent(T8, talent(8, "Bo"));
            right(harness, bo);
            assertThat(drain(harness))
                    .containsExactly(emitted(bo, M3, joined(INNER, alien.value(), bo.value())));

            // the movie's update replaced its row: a director change re-emits it once
            SluiceRecord annC = fromTalent(T7, talent(7, "Ann C."));
            right(harness, annC);
            assertThat(drain(harness))
                    .containsExactlyInAnyOrder(
                            emitted(annC, M1, joined(INNER, heat2.value(), annC.value())),
                            emitted(annC, M2, joined(INNER, ronin.value(), annC.value())));
            assertThat(deadLetters(harness)).isEmpty();
        }
    }

    @Test
    void testOutputsAreKeyedByTheLeftKeyWithTheCausingRecordsTimeAndOrigin() throws Exception {
        try (var harness = open(false)) {
            SluiceRecord ann = fromTalent(T7, talent(7, "Ann"));
            SluiceRecord heat = fromMovies(M1, movie(1, "Heat", 7L));
            right(harness, ann);
            left(harness, heat);
            SluiceRecord annB = fromTalent(T7, talent(7, "Ann B."));
            right(harness, annB);

            List<SluiceRecord> out = drain(harness);
            assertThat(out).hasSize(2);
            SluiceRecord byMovie = out.get(0);
            assertThat(byMovie.key()).isEqualTo(M1);
            assertThat(byMovie.timestamp()).isEqualTo(1_001L);
            assertThat(byMovie.sourceTopic()).isEqualTo("studio.public.movies");
            assertThat(byMovie.sourcePartition()).isEqualTo(0);
            assertThat(byMovie.sourceOffset()).isEqualTo(1L);
            assertThat(byMovie.sourceKey()).isEqualTo(M1);
            assertThat(byMovie.sourceValue()).isEqualTo(bytes("movie-bytes-1"));
            assertThat(byMovie.value().getSchema()).isEqualTo(INNER);
            assertThat(byMovie.value().get("title")).isEqualTo(new Utf8("Heat"));
            assertThat(byMovie.value().get("talent_id")).isEqualTo(7L);
            assertThat(byMovie.value().get("name")).isEqualTo(new Utf8("Ann"));
            assertThat(GenericData.get().validate(INNER, byMovie.value())).isTrue();

            SluiceRecord byTalent = out.get(1);
            assertThat(byTalent.key()).isEqualTo(M1);
            assertThat(byTalent.timestamp()).isEqualTo(1_002L);
            assertThat(byTalent.sourceTopic()).isEqualTo("studio.public.talent");
            assertThat(byTalent.sourcePartition()).isEqualTo(1);
            assertThat(byTalent.sourceOffset()).isEqualTo(2L);
            assertThat(byTalent.sourceKey()).isEqualTo(T7);
            assertThat(byTalent.value().get("name")).isEqualTo(new Utf8("Ann B."));
        }
    }

    @Test
    void testLeftJoinEmitsEveryMovieWithOrWithoutDirector() throws Exception {
        try (var harness = open(true)) {
            SluiceRecord heat = fromMovies(M1, movie(1, "Heat", 7L));
            left(harness, heat);
            assertThat(drain(harness))
                    .containsExactly(emitted(heat, M1, joined(LEFT, heat.value(), null)));

            SluiceRecord ann = fromTalent(T7, talent(7, "Ann"));
            right(harness, ann);
            assertThat(drain(harness))
                    .containsExactly(emitted(ann, M1, joined(LEFT, heat.value(), ann.value())));

            SluiceRecord ronin = fromMovies(M2, movie(2, "Ronin", 7L));
            left(harness, ronin);
            assertThat(drain(harness))
                    .containsExactly(emitted(ronin, M2, joined(LEFT, ronin.value(), ann.value())));

            SluiceRecord annB = fromTalent(T7, talent(7, "Ann B."));
            right(harness, annB);
            assertThat(drain(harness))
                    .containsExactlyInAnyOrder(
                            emitted(annB, M1, joined(LEFT, heat.value(), annB.value())),
                            emitted(annB, M2, joined(LEFT, ronin.value(), annB.value())));
            assertThat(LEFT.getField("name").schema().getType()).isEqualTo(Schema.Type.UNION);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void testLeftDeleteEmitsATombstoneAndForgetsTheRow(Backend backend) throws Exception {
        for (boolean leftJoin : new boolean[] {false, true}) {
            Schema output = leftJoin ? LEFT : INNER;
            try (var harness = open(leftJoin, null, backend)) {
                SluiceRecord ann = fromTalent(T7, talent(7, "Ann"));
                SluiceRecord heat = fromMovies(M1, movie(1, "Heat", 7L));
                SluiceRecord ronin = fromMovies(M2, movie(2, "Ronin", 7L));
                right(harness, ann);
                left(harness, heat);
                left(harness, ronin);
                drain(harness);

                // a CDC delete with the last row image, then its tombstone
                SluiceRecord deleted = fromMovies(M1, movie(1, "Heat", 7L, "d"));
                left(harness, deleted);
                left(harness, SluiceRecord.fromKafka("studio.public.movies", 0, 99, 5L, M1, null));
                assertThat(drain(harness)).containsExactly(emitted(deleted, M1, null));

                SluiceRecord annB = fromTalent(T7, talent(7, "Ann B."));
                right(harness, annB);
                assertThat(drain(harness))
                        .as("left join: %s", leftJoin)
                        .containsExactly(
                                emitted(annB, M2, joined(output, ronin.value(), annB.value())));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void testRightDeleteInInnerJoinEmitsTombstonesForTheJoinedRows(Backend backend)
            throws Exception {
        try (var harness = open(false, null, backend)) {
            SluiceRecord ann = fromTalent(T7, talent(7, "Ann"));
            SluiceRecord heat = fromMovies(M1, movie(1, "Heat", 7L));
            SluiceRecord ronin = fromMovies(M2, movie(2, "Ronin", 7L));
            right(harness, ann);
            left(harness, heat);
            left(harness, ronin);
            drain(harness);

            SluiceRecord deleted = fromTalent(T7, talent(7, "Ann", "d"));
            right(harness, deleted);
            right(harness, SluiceRecord.fromKafka("studio.public.talent", 1, 99, 5L, T7, null));
            assertThat(drain(harness))
                    .containsExactlyInAnyOrder(
                            emitted(deleted, M1, null), emitted(deleted, M2, null));

            // the movies stay: a change has no director to join, and nothing to retract
            SluiceRecord heat2 = fromMovies(M1, movie(1, "Heat (1995)", 7L));
            left(harness, heat2);
            assertThat(drain(harness)).isEmpty();
            // a second delete finds no joined rows
            right(harness, fromTalent(T7, talent(7, "Ann", "d")));
            assertThat(drain(harness)).isEmpty();

            // the director comes back: both movies are joined again
            SluiceRecord annAgain = fromTalent(T7, talent(7, "Ann"));
            right(harness, annAgain);
            assertThat(drain(harness))
                    .containsExactlyInAnyOrder(
                            emitted(annAgain, M1, joined(INNER, heat2.value(), annAgain.value())),
                            emitted(annAgain, M2, joined(INNER, ronin.value(), annAgain.value())));
        }
    }

    @Test
    void testRightDeleteInLeftJoinReEmitsTheRowsWithoutRightFields() throws Exception {
        try (var harness = open(true)) {
            SluiceRecord ann = fromTalent(T7, talent(7, "Ann"));
            SluiceRecord heat = fromMovies(M1, movie(1, "Heat", 7L));
            SluiceRecord ronin = fromMovies(M2, movie(2, "Ronin", 7L));
            right(harness, ann);
            left(harness, heat);
            left(harness, ronin);
            drain(harness);

            SluiceRecord deleted = fromTalent(T7, talent(7, "Ann", "d"));
            right(harness, deleted);
            assertThat(drain(harness))
                    .containsExactlyInAnyOrder(
                            emitted(deleted, M1, joined(LEFT, heat.value(), null)),
                            emitted(deleted, M2, joined(LEFT, ronin.value(), null)));

            SluiceRecord heat2 = fromMovies(M1, movie(1, "Heat (1995)", 7L));
            left(harness, heat2);
            assertThat(drain(harness))
                    .containsExactly(emitted(heat2, M1, joined(LEFT, heat2.value(), null)));
        }
    }

    @Test
    void testNullJoinValueIsDroppedByInnerAndPassedByLeftJoinWithoutState() throws Exception {
        SluiceRecord untitled = fromMovies(M1, movie(1, "Untitled", null));
        try (var harness = open(false)) {
            left(harness, untitled);
            assertThat(drain(harness)).isEmpty();
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
        try (var harness = open(true)) {
            left(harness, untitled);
            assertThat(drain(harness))
                    .containsExactly(emitted(untitled, M1, joined(LEFT, untitled.value(), null)));
            assertThat(harness.numKeyedStateEntries()).isZero();

            // nothing was stored: a director arriving finds no movie, a delete emits its tombstone
            right(harness, fromTalent(T7, talent(7, "Ann")));
            assertThat(drain(harness)).isEmpty();
            SluiceRecord deleted = fromMovies(M1, movie(1, "Untitled", null, "d"));
            left(harness, deleted);
            assertThat(drain(harness)).containsExactly(emitted(deleted, M1, null));
        }
    }

    @Test
    void testTombstonesAreIgnoredOnBothSides() throws Exception {
        for (boolean leftJoin : new boolean[] {false, true}) {
            try (var harness = open(leftJoin)) {
                left(harness, SluiceRecord.fromKafka("studio.public.movies", 0, 1, 5L, M1, null));
                right(harness, SluiceRecord.fromKafka("studio.public.talent", 1, 1, 5L, T7, null));
                assertThat(drain(harness)).isEmpty();
                assertThat(deadLetters(harness)).isEmpty();
                assertThat(harness.numKeyedStateEntries()).isZero();
            }
        }
    }

    @Test
    void testRecordsThatCannotBeKeyedAreDeadLettered() throws Exception {
        Schema noTitle =
                record(
                        "Other",
                        "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"director_id\",\"type\":\"long\"}");
        GenericRecord titleless = new GenericData.Record(noTitle);
        titleless.put("id", 4L);
        titleless.put("director_id", 7L);
        Schema intName =
                record(
                        "Talent",
                        "{\"name\":\"id\",\"type\":\"long\"},"
                                + "{\"name\":\"name\",\"type\":\"int\"}");
        GenericRecord numbered = new GenericData.Record(intName);
        numbered.put("id", 7L);
        numbered.put("name", 42);

        try (var harness = open(true)) {
            SluiceRecord keyless = fromMovies(null, movie(1, "Heat", 7L));
            SluiceRecord wrongLeft = fromMovies(M2, titleless);
            SluiceRecord wrongRight = fromTalent(T7, numbered);
            left(harness, keyless);
            left(harness, wrongLeft);
            right(harness, wrongRight);

            assertThat(drain(harness)).isEmpty();
            assertThat(harness.numKeyedStateEntries()).isZero();
            List<DeadLetter> dead = deadLetters(harness);
            assertThat(dead).extracting(d -> d.processorId).containsOnly("enriched");
            assertThat(dead)
                    .extracting(d -> d.errorClass)
                    .containsOnly("java.lang.IllegalArgumentException");
            assertThat(dead)
                    .extracting(d -> d.sourceTopic + "@" + d.sourceOffset)
                    .containsExactly(
                            "studio.public.movies@0",
                            "studio.public.movies@1",
                            "studio.public.talent@2");
            assertThat(dead)
                    .extracting(d -> d.errorMessage)
                    .containsExactly(
                            "a record of 'movies', the left input of join 'enriched', has no"
                                    + " Kafka key; the join's output is keyed by the left record's"
                                    + " key",
                            "a record of schema test.Other from 'movies' lacks field 'title',"
                                    + " which the join's input schema requires",
                            "field 'name' of a record from 'talent' is int, but the join's input"
                                    + " schema has string");
            assertThat(dead.get(1).originalValue).isEqualTo(bytes("movie-bytes-1"));
        }
    }

    @Test
    void testRecordsOfAnotherSchemaAreMappedByFieldName() throws Exception {
        Schema reordered =
                record(
                        "Movie",
                        "{\"name\":\"director_id\",\"type\":\"long\"},"
                                + "{\"name\":\"title\",\"type\":\"string\"},"
                                + "{\"name\":\"rating\",\"type\":\"int\"},"
                                + "{\"name\":\"id\",\"type\":\"long\"}");
        GenericRecord evolved = new GenericData.Record(reordered);
        evolved.put("director_id", 7L);
        evolved.put("title", new Utf8("Heat"));
        evolved.put("rating", 5);
        evolved.put("id", 1L);
        try (var harness = open(false)) {
            SluiceRecord heat = fromMovies(M1, evolved);
            SluiceRecord ann = fromTalent(T7, talent(7, "Ann"));
            left(harness, heat);
            right(harness, ann);

            GenericRecord expected = joined(INNER, movie(1, "Heat", 7L, null), ann.value());
            assertThat(drain(harness)).containsExactly(emitted(ann, M1, expected));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void testStateSurvivesSnapshotAndRestore(Backend backend) throws Exception {
        SluiceRecord heat = fromMovies(M1, movie(1, "Heat", 7L));
        SluiceRecord ronin = fromMovies(M2, movie(2, "Ronin", 7L));
        SluiceRecord ann = fromTalent(T7, talent(7, "Ann"));
        OperatorSubtaskState snapshot;
        try (var harness = open(false, null, backend)) {
            left(harness, heat);
            left(harness, ronin);
            right(harness, ann);
            assertThat(drain(harness)).hasSize(2);
            snapshot = harness.snapshot(1L, 2_000L);
        }

        try (var restored = create(false, null, backend)) {
            restored.initializeState(snapshot);
            restored.open();

            SluiceRecord annB = fromTalent(T7, talent(7, "Ann B."));
            right(restored, annB);
            assertThat(drain(restored))
                    .containsExactlyInAnyOrder(
                            emitted(annB, M1, joined(INNER, heat.value(), annB.value())),
                            emitted(annB, M2, joined(INNER, ronin.value(), annB.value())));

            // the restored right row joins a new movie; the restored emitted rows retract
            SluiceRecord collateral = fromMovies(M3, movie(3, "Collateral", 7L));
            left(restored, collateral);
            assertThat(drain(restored))
                    .containsExactly(
                            emitted(
                                    collateral,
                                    M3,
                                    joined(INNER, collateral.value(), annB.value())));
            SluiceRecord deleted = fromTalent(T7, talent(7, "Ann B.", "d"));
            right(restored, deleted);
            assertThat(drain(restored))
                    .containsExactlyInAnyOrder(
                            emitted(deleted, M1, null),
                            emitted(deleted, M2, null),
                            emitted(deleted, M3, null));
        }
    }

    @Test
    void testExpiredStateStopsMatchingAndRetractsOnTheNextChange() throws Exception {
        Duration ttl = Duration.ofSeconds(10);
        try (var harness = open(false, ttl, Backend.HEAP)) {
            harness.setStateTtlProcessingTime(0L);
            SluiceRecord ann = fromTalent(T7, talent(7, "Ann"));
            SluiceRecord heat = fromMovies(M1, movie(1, "Heat", 7L));
            right(harness, ann);
            left(harness, heat);
            harness.setStateTtlProcessingTime(5_000L);
            SluiceRecord ronin = fromMovies(M2, movie(2, "Ronin", 7L));
            left(harness, ronin);
            assertThat(drain(harness)).hasSize(2);

            // at 12s the director (written at 0) and Heat (0) are gone, Ronin (5s) is not
            harness.setStateTtlProcessingTime(12_000L);
            SluiceRecord ronin2 = fromMovies(M2, movie(2, "Ronin (1998)", 7L));
            left(harness, ronin2);
            // Ronin's joined row can no longer be joined: it is retracted
            assertThat(drain(harness)).containsExactly(emitted(ronin2, M2, null));

            harness.setStateTtlProcessingTime(12_500L);
            SluiceRecord annB = fromTalent(T7, talent(7, "Ann B."));
            right(harness, annB);
            assertThat(drain(harness))
                    .containsExactly(
                            emitted(annB, M2, joined(INNER, ronin2.value(), annB.value())));
        }
        try (var harness = open(true, ttl, Backend.HEAP)) {
            harness.setStateTtlProcessingTime(0L);
            SluiceRecord ann = fromTalent(T7, talent(7, "Ann"));
            SluiceRecord heat = fromMovies(M1, movie(1, "Heat", 7L));
            right(harness, ann);
            left(harness, heat);
            harness.setStateTtlProcessingTime(5_000L);
            SluiceRecord ronin = fromMovies(M2, movie(2, "Ronin", 7L));
            left(harness, ronin);
            drain(harness);

            harness.setStateTtlProcessingTime(12_000L);
            SluiceRecord ronin2 = fromMovies(M2, movie(2, "Ronin (1998)", 7L));
            left(harness, ronin2);
            assertThat(drain(harness))
                    .containsExactly(emitted(ronin2, M2, joined(LEFT, ronin2.value(), null)));

            SluiceRecord annB = fromTalent(T7, talent(7, "Ann B."));
            right(harness, annB);
            assertThat(drain(harness))
                    .containsExactly(emitted(annB, M2, joined(LEFT, ronin2.value(), annB.value())));
        }
    }
}

package dev.sluice.it.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.it.ChildPlatforms;
import dev.sluice.testing.db.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code postgres-cdc} pipeline keeps capturing across a clean platform restart and across kill
 * -9 of the platform process, while the database keeps changing: every change reaches the
 * source-fronting topic exactly once (read_committed; exact event ids).
 */
class CdcPlatformRestartITCase {
    private static final Duration DEPLOY = Duration.ofSeconds(120);
    private static final Map<String, String> SECRETS = Map.of("CDC_PASSWORD", "secret");
    private static PostgresServer pg;

    @BeforeAll
    static void start() {
        pg = PostgresServer.start();
        pg.createReplicationRole("cdc", "secret");
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.close();
        }
    }

    private static String pipeline(String name, String db) {
        pg.createDatabase(db);
        pg.execute(
                db,
                "GRANT CREATE ON DATABASE \"" + db + "\" TO cdc",
                "CREATE TABLE ticks (id INT PRIMARY KEY, at TIMESTAMPTZ DEFAULT now())",
                "ALTER TABLE ticks OWNER TO cdc");
        return CdcPipelineITCase.pipeline(
                name,
                "postgres-cdc",
                "\"hostname\": \""
                        + pg.host()
                        + "\", \"port\": "
                        + pg.port()
                        + ", \"database\": \""
                        + db
                        + "\"",
                "[\"ticks\"]",
                "it.cdc." + name + ".out");
    }

    @Test
    void testChangesDuringACleanRestartArriveExactlyOnce(@TempDir Path dir) throws Exception {
        String body = pipeline("ticks-clean", "ticks_clean");
        String topic = "ticks-clean.movies.public.ticks";
        try (Writer writer = new Writer("ticks_clean")) {
            try (CdcPlatform first = CdcPlatform.start(dir, SECRETS)) {
                first.call("PUT", "/api/v1/pipelines/ticks-clean", body);
                first.awaitState("ticks-clean", "RUNNING", DEPLOY);
                writer.start();
                assertThat(first.consume(topic, 20, Duration.ofSeconds(60)))
                        .hasSizeGreaterThanOrEqualTo(20);
            } // a clean stop: jobs stopped with savepoints while rows keep coming
            try (CdcPlatform second = CdcPlatform.start(dir, SECRETS)) {
                second.awaitState("ticks-clean", "RUNNING", DEPLOY);
                int total = writer.stopAfter(20);
                assertExactlyOnce(second, topic, total);
            }
        }
    }

    @Test
    void testChangesAcrossAKill9OfThePlatformArriveExactlyOnce(@TempDir Path dir) throws Exception {
        String body = pipeline("ticks-kill", "ticks_kill");
        String topic = "ticks-kill.movies.public.ticks";
        int api = ChildPlatforms.freePort();
        int registry = ChildPlatforms.freePort();
        int kafkaPort = ChildPlatforms.freePort();
        ProcessBuilder childBuilder =
                new ProcessBuilder(
                                ChildPlatforms.javaCommand(
                                        "up",
                                        "--data-dir",
                                        dir.toString(),
                                        "--api-port",
                                        String.valueOf(api),
                                        "--flink-port",
                                        String.valueOf(ChildPlatforms.freePort()),
                                        "--registry-port",
                                        String.valueOf(registry),
                                        "--kafka-port",
                                        String.valueOf(kafkaPort),
                                        "--task-slots",
                                        "4"))
                        .redirectErrorStream(true)
                        .redirectOutput(
                                dir.resolveSibling(dir.getFileName() + "-child.log").toFile());
        childBuilder.environment().putAll(SECRETS);
        try (Writer writer = new Writer("ticks_kill")) {
            Process child = childBuilder.start();
            try {
                String apiUrl = "http://127.0.0.1:" + api;
                HttpClient http = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(
                                () ->
                                        http.send(
                                                                HttpRequest.newBuilder(
                                                                                URI.create(
                                                                                        apiUrl
                                                                                                + "/health"))
                                                                        .build(),
                                                                HttpResponse.BodyHandlers
                                                                        .ofString())
                                                        .statusCode()
                                                == 200);
                CdcPlatform remote =
                        CdcPlatform.remote(
                                apiUrl, "127.0.0.1:" + kafkaPort, "http://127.0.0.1:" + registry);
                remote.call("PUT", "/api/v1/pipelines/ticks-kill", body);
                remote.awaitState("ticks-kill", "RUNNING", DEPLOY);
                writer.start();
                assertThat(remote.consume(topic, 20, Duration.ofSeconds(60)))
                        .hasSizeGreaterThanOrEqualTo(20);
                // A checkpoint completed after output was written; changes keep coming; kill -9.
                Path checkpoints = dir.resolve("checkpoints").resolve("ticks-kill");
                long before = ChildPlatforms.newestCheckpoint(checkpoints);
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> ChildPlatforms.newestCheckpoint(checkpoints) > before);
            } finally {
                child.destroyForcibly();
                child.waitFor();
            }
            try (CdcPlatform revived = CdcPlatform.start(dir, SECRETS)) {
                revived.awaitState("ticks-kill", "RUNNING", DEPLOY);
                int total = writer.stopAfter(20);
                assertExactlyOnce(revived, topic, total);
            }
        }
    }

    private static void assertExactlyOnce(CdcPlatform platform, String topic, int total) {
        List<GenericRecord> values =
                platform.decode(platform.consume(topic, total, Duration.ofSeconds(90)));
        List<Integer> ids = new ArrayList<>();
        List<String> eventIds = new ArrayList<>();
        for (GenericRecord v : values) {
            // Rows written while the (consistent) initial snapshot ran are snapshot reads.
            assertThat(v.get("__op").toString()).isIn("r", "c");
            ids.add((Integer) v.get("id"));
            eventIds.add(v.get("__event_id").toString());
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= total; i++) {
            expected.add(i);
        }
        assertThat(ids).as("every change once").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(new HashSet<>(eventIds)).hasSize(total);
    }

    /** Inserts rows 1, 2, 3, ... into {@code ticks}, one per transaction, about 50 a second. */
    private static final class Writer implements AutoCloseable {
        private final String db;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger written = new AtomicInteger();
        private Thread thread;

        Writer(String db) {
            this.db = db;
        }

        void start() {
            thread =
                    new Thread(
                            () -> {
                                while (running.get()) {
                                    int next = written.get() + 1;
                                    try {
                                        pg.execute(
                                                db, "INSERT INTO ticks (id) VALUES (" + next + ")");
                                        written.set(next);
                                    } catch (RuntimeException e) {
                                        // the database is fine; retry the same row
                                    }
                                    LockSupport.parkNanos(
                                            Duration.ofMillis(20).toNanos()); // pacing
                                }
                            },
                            "ticks-writer");
            thread.start();
        }

        /** Lets {@code more} rows be written, then stops; returns how many rows were written. */
        int stopAfter(int more) throws InterruptedException {
            int target = written.get() + more;
            await().atMost(Duration.ofSeconds(30)).until(() -> written.get() >= target);
            running.set(false);
            thread.join();
            return written.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join();
            }
        }
    }
}

package dev.sluice.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the CLI against a stand-in for the controller's REST API (the JDK's HTTP server answering
 * canned JSON) and checks the exact output and exit code of each command.
 */
class SluiceCliTest {

    private static final String PIPELINE_JSON =
            "{\"name\": \"released-movies\", \"owner\": \"studio-data\",\n"
                    + " \"sources\": [{\"id\": \"movies\", \"type\": \"kafka\","
                    + " \"config\": {\"topic\": \"movies\"}}],\n"
                    + " \"processors\": [],\n"
                    + " \"sinks\": [{\"id\": \"topic\", \"type\": \"kafka\", \"inputs\":"
                    + " [\"movies\"], \"config\": {\"topic\": \"movies.released.v1\"}}]}\n";

    @TempDir Path tempDir;

    private FakeController controller;

    @BeforeEach
    void startController() throws IOException {
        controller = new FakeController();
    }

    @AfterEach
    void stopController() {
        controller.stop();
    }

    // ------------------------------------------------------------------ apply

    @Test
    void applyPrintsCreatedAndStateWhenTheControllerAnswers201() throws IOException {
        controller.answer(
                "PUT",
                "/api/v1/pipelines/released-movies",
                201,
                "{\"name\": \"released-movies\", \"state\": \"DEPLOYING\"}");
        Path file = write("pipeline.json", PIPELINE_JSON);

        Result result = cli("apply", "-f", file.toString());

        assertThat(result.exitCode).isZero();
        assertThat(result.out).isEqualTo("pipeline/released-movies created\nstate: DEPLOYING\n");
        assertThat(result.err).isEmpty();
        assertThat(controller.requests())
                .containsExactly(
                        new Request("PUT", "/api/v1/pipelines/released-movies", PIPELINE_JSON));
        assertThat(controller.lastContentType()).isEqualTo("application/json");
    }

    @Test
    void applyPrintsConfiguredWhenTheControllerAnswers200() throws IOException {
        controller.answer(
                "PUT",
                "/api/v1/pipelines/released-movies",
                200,
                "{\"name\": \"released-movies\", \"state\": \"DEPLOYING\","
                        + " \"reason\": \"stopping the old job with a savepoint\"}");
        Path file = write("pipeline.json", PIPELINE_JSON);

        Result result = cli("apply", "--filename=" + file);

        assertThat(result.exitCode).isZero();
        assertThat(result.out)
                .isEqualTo(
                        "pipeline/released-movies configured\n"
                                + "state: DEPLOYING\n"
                                + "reason: stopping the old job with a savepoint\n");
    }

    @Test
    void applyPrintsTheErrorAndPointerAndExits1WhenTheControllerAnswers400() throws IOException {
        controller.answer(
                "PUT",
                "/api/v1/pipelines/released-movies",
                400,
                "{\"error\": \"unknown key \\\"conditon\\\"; allowed: condition\","
                        + " \"pointer\": \"/processors/0/config/conditon\"}");
        Path file = write("pipeline.json", PIPELINE_JSON);

        Result result = cli("apply", "-f", file.toString());

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).isEmpty();
        assertThat(result.err)
                .isEqualTo(
                        "error: unknown key \"conditon\"; allowed: condition\n"
                                + "  at: /processors/0/config/conditon\n");
    }

    @Test
    void applyOmitsTheEmptyPointerOfAWholeDocumentError() throws IOException {
        controller.answer(
                "PUT",
                "/api/v1/pipelines/released-movies",
                409,
                "{\"error\": \"incompatible schema change\", \"pointer\": \"\"}");
        Path file = write("pipeline.json", PIPELINE_JSON);

        Result result = cli("apply", "-f", file.toString());

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.err).isEqualTo("error: incompatible schema change\n");
    }

    @Test
    void applyReadsStandardInputForDash() {
        controller.answer(
                "PUT",
                "/api/v1/pipelines/released-movies",
                201,
                "{\"name\": \"released-movies\", \"state\": \"DEPLOYING\"}");

        Result result = cliWithStdin(PIPELINE_JSON, "apply", "-f", "-");

        assertThat(result.exitCode).isZero();
        assertThat(result.out).isEqualTo("pipeline/released-movies created\nstate: DEPLOYING\n");
        assertThat(controller.requests().get(0).body).isEqualTo(PIPELINE_JSON);
    }

    @Test
    void applyWithoutAFileIsAUsageError() {
        Result result = cli("apply");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err)
                .isEqualTo(
                        "error: apply needs -f FILE (a pipeline JSON file, or - for stdin)\n"
                                + "Run './sluice help' for usage.\n");
        assertThat(controller.requests()).isEmpty();
    }

    @Test
    void applyOfAPipelineWithoutANameFailsBeforeCallingTheController() throws IOException {
        Path file = write("nameless.json", "{\"owner\": \"studio-data\"}");

        Result result = cli("apply", "-f", file.toString());

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.err)
                .isEqualTo(
                        "error: "
                                + file
                                + ": the pipeline has no \"name\" (a string such as"
                                + " \"my-pipeline\")\n");
        assertThat(controller.requests()).isEmpty();
    }

    @Test
    void applyOfAFileThatIsNotJsonNamesTheFile() throws IOException {
        Path file = write("broken.json", "{\"name\": ");

        Result result = cli("apply", "-f", file.toString());

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.err).startsWith("error: " + file + " is not valid JSON: ");
    }

    @Test
    void applyOfAMissingFileSaysSo() {
        Path missing = tempDir.resolve("missing.json");

        Result result = cli("apply", "-f", missing.toString());

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.err).isEqualTo("error: cannot read " + missing + ": no such file\n");
    }

    // ------------------------------------------------------------------ get

    @Test
    void getPipelinesPrintsAnAlignedTable() {
        controller.answer(
                "GET",
                "/api/v1/pipelines",
                200,
                "[{\"name\": \"released-movies\", \"owner\": \"studio-data\", \"mode\":"
                        + " \"streaming\", \"state\": \"RUNNING\"},"
                        + " {\"name\": \"nightly\", \"owner\": \"finance\", \"mode\": \"batch\","
                        + " \"state\": \"FAILED\", \"reason\": \"the JDBC sink refused a row\"},"
                        + " {\"name\": \"x\", \"status\": {\"state\": \"BLOCKED\","
                        + " \"reason\": \"upstream dropped field title\"}}]");

        Result result = cli("get", "pipelines");

        assertThat(result.exitCode).isZero();
        assertThat(result.out)
                .isEqualTo(
                        "NAME              OWNER         MODE        STATE     REASON\n"
                                + "released-movies   studio-data   streaming   RUNNING\n"
                                + "nightly           finance       batch       FAILED    the JDBC"
                                + " sink refused a row\n"
                                + "x                 <none>        <none>      BLOCKED   upstream"
                                + " dropped field title\n");
    }

    @Test
    void getPipelinesAcceptsAnObjectWithAPipelinesArrayAndTheSingularResource() {
        controller.answer(
                "GET",
                "/api/v1/pipelines",
                200,
                "{\"pipelines\": [{\"name\": \"a\", \"owner\": \"o\", \"mode\": \"streaming\","
                        + " \"state\": \"PAUSED\"}]}");

        Result result = cli("get", "pipeline");

        assertThat(result.out)
                .isEqualTo(
                        "NAME   OWNER   MODE        STATE    REASON\n"
                                + "a      o       streaming   PAUSED\n");
    }

    @Test
    void getPipelinesOfAnEmptyPlatformSaysSo() {
        controller.answer("GET", "/api/v1/pipelines", 200, "[]");

        Result result = cli("get", "pipelines");

        assertThat(result.exitCode).isZero();
        assertThat(result.out).isEqualTo("No pipelines.\n");
    }

    @Test
    void getPipelinesWithJsonOutputPrintsTheBodyAsSent() {
        controller.answer("GET", "/api/v1/pipelines", 200, "[{\"name\":\"a\"}]");

        Result result = cli("get", "pipelines", "-o", "json");

        assertThat(result.out).isEqualTo("[{\"name\":\"a\"}]\n");
    }

    @Test
    void getOnePipelineByNamePrintsOneRow() {
        controller.answer(
                "GET",
                "/api/v1/pipelines/a",
                200,
                "{\"name\": \"a\", \"owner\": \"o\", \"mode\": \"batch\", \"state\": \"RUNNING\"}");

        Result result = cli("get", "pipelines", "a");

        assertThat(result.out)
                .isEqualTo(
                        "NAME   OWNER   MODE    STATE     REASON\n"
                                + "a      o       batch   RUNNING\n");
    }

    @Test
    void getOfAnUnknownResourceIsAUsageError() {
        Result result = cli("get", "topics");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err)
                .isEqualTo(
                        "error: unknown resource \"topics\" for 'get'; allowed: pipeline,"
                                + " pipelines\n"
                                + "Run './sluice help' for usage.\n");
    }

    @Test
    void anUnsupportedOutputFormatIsAUsageError() {
        Result result = cli("get", "pipelines", "-o", "yaml");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err)
                .startsWith("error: unsupported output format \"yaml\"; allowed: json\n");
    }

    // ------------------------------------------------------------------ describe

    @Test
    void describePrintsStatusThenUnknownFieldsThenTheDefinition() {
        controller.answer(
                "GET",
                "/api/v1/pipelines/released-movies",
                200,
                "{\"name\": \"released-movies\", \"owner\": \"studio-data\","
                        + " \"mode\": \"streaming\", \"state\": \"RUNNING\", \"reason\": null,"
                        + " \"restarts\": 0, \"jobIds\": [\"a1b2c3\"],"
                        + " \"topics\": [\"sluice.released-movies.released\","
                        + " \"movies.released.v1\"],"
                        + " \"plan\": {\"jobs\": [{\"id\": \"a1b2c3\", \"operators\":"
                        + " [\"movies\", \"released\", \"topic\"]}]},"
                        + " \"schemas\": {\"topic\": {\"subject\": \"movies.released.v1-value\","
                        + " \"version\": 2}},"
                        + " \"metrics\": {\"recordsIn\": 120, \"recordsOut\": 80,"
                        + " \"deadLetters\": 2},"
                        + " \"updatedAt\": \"2025-01-02T03:04:05Z\","
                        + " \"definition\": {\"name\": \"released-movies\", \"owner\":"
                        + " \"studio-data\", \"sources\": [{\"id\": \"movies\", \"type\":"
                        + " \"kafka\", \"config\": {\"topic\": \"movies\"}}], \"processors\": [],"
                        + " \"options\": {\"parallelism\": 1}}}");

        Result result = cli("describe", "pipeline", "released-movies");

        assertThat(result.exitCode).isZero();
        assertThat(result.err).isEmpty();
        assertThat(result.out)
                .isEqualTo(
                        "Name:         released-movies\n"
                                + "Owner:        studio-data\n"
                                + "Mode:         streaming\n"
                                + "State:        RUNNING\n"
                                + "Restarts:     0\n"
                                + "Flink jobs:   a1b2c3\n"
                                + "updatedAt:    2025-01-02T03:04:05Z\n"
                                + "Topics:\n"
                                + "  sluice.released-movies.released\n"
                                + "  movies.released.v1\n"
                                + "Plan:\n"
                                + "  jobs:\n"
                                + "    - id: a1b2c3\n"
                                + "      operators: movies, released, topic\n"
                                + "Schemas:\n"
                                + "  topic:\n"
                                + "    subject: movies.released.v1-value\n"
                                + "    version: 2\n"
                                + "Metrics:\n"
                                + "  recordsIn: 120\n"
                                + "  recordsOut: 80\n"
                                + "  deadLetters: 2\n"
                                + "Definition:\n"
                                + "{\n"
                                + "  \"name\": \"released-movies\",\n"
                                + "  \"owner\": \"studio-data\",\n"
                                + "  \"sources\": [\n"
                                + "    {\n"
                                + "      \"id\": \"movies\",\n"
                                + "      \"type\": \"kafka\",\n"
                                + "      \"config\": {\n"
                                + "        \"topic\": \"movies\"\n"
                                + "      }\n"
                                + "    }\n"
                                + "  ],\n"
                                + "  \"processors\": [],\n"
                                + "  \"options\": {\n"
                                + "    \"parallelism\": 1\n"
                                + "  }\n"
                                + "}\n");
    }

    @Test
    void describeReadsTheDefinitionFromTopLevelKeysAndStatusFromAStatusObject() {
        controller.answer(
                "GET",
                "/api/v1/pipelines/p",
                200,
                "{\"name\": \"p\", \"sinks\": [], \"sources\": [],"
                        + " \"status\": {\"state\": \"FAILED\", \"reason\": \"boom\"}}");

        Result result = cli("describe", "pipeline", "p");

        assertThat(result.out)
                .isEqualTo(
                        "Name:     p\n"
                                + "State:    FAILED\n"
                                + "Reason:   boom\n"
                                + "Definition:\n"
                                + "{\n"
                                + "  \"name\": \"p\",\n"
                                + "  \"sources\": [],\n"
                                + "  \"sinks\": []\n"
                                + "}\n");
    }

    @Test
    void describeOfAnUnknownPipelinePrintsTheControllersError() {
        controller.answer(
                "GET",
                "/api/v1/pipelines/nope",
                404,
                "{\"error\": \"no pipeline named \\\"nope\\\"\"}");

        Result result = cli("describe", "pipeline", "nope");

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).isEmpty();
        assertThat(result.err).isEqualTo("error: no pipeline named \"nope\"\n");
    }

    @Test
    void describeWithJsonOutputPrintsTheBodyAsSent() {
        controller.answer("GET", "/api/v1/pipelines/p", 200, "{\"name\":\"p\"}\n");

        Result result = cli("describe", "pipeline", "p", "-ojson");

        assertThat(result.out).isEqualTo("{\"name\":\"p\"}\n");
    }

    @Test
    void describeWithoutANameIsAUsageError() {
        Result result = cli("describe", "pipeline");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err)
                .isEqualTo(
                        "error: missing NAME; usage: ./sluice describe pipeline NAME\n"
                                + "Run './sluice help' for usage.\n");
    }

    // ------------------------------------------------------------------ other commands

    @Test
    void deletePrintsDeleted() {
        controller.answer("DELETE", "/api/v1/pipelines/released-movies", 204, "");

        Result result = cli("delete", "pipeline", "released-movies");

        assertThat(result.exitCode).isZero();
        assertThat(result.out).isEqualTo("pipeline/released-movies deleted\n");
        assertThat(controller.requests())
                .containsExactly(new Request("DELETE", "/api/v1/pipelines/released-movies", ""));
    }

    @Test
    void pauseAndResumePrintTheVerbAndTheState() {
        controller.answer(
                "POST",
                "/api/v1/pipelines/p/pause",
                200,
                "{\"name\": \"p\", \"state\": \"PAUSED\"}");
        controller.answer(
                "POST",
                "/api/v1/pipelines/p/resume",
                200,
                "{\"name\": \"p\", \"state\": \"DEPLOYING\"}");

        Result paused = cli("pause", "pipeline", "p");
        Result resumed = cli("resume", "pipeline", "p");

        assertThat(paused.out).isEqualTo("pipeline/p paused\nstate: PAUSED\n");
        assertThat(resumed.out).isEqualTo("pipeline/p resumed\nstate: DEPLOYING\n");
    }

    @Test
    void runsPrintsATableOfRuns() {
        controller.answer(
                "GET",
                "/api/v1/pipelines/nightly/runs",
                200,
                "[{\"id\": \"r2\", \"state\": \"RUNNING\", \"startedAt\":"
                        + " \"2025-01-02T00:00:00Z\", \"endedAt\": null, \"rowsRead\": 10,"
                        + " \"rowsWritten\": 9, \"rowsDeadLettered\": 1, \"error\": null},"
                        + " {\"id\": \"r1\", \"state\": \"FAILED\", \"startedAt\": 0,"
                        + " \"endedAt\": 60000, \"rowsRead\": 0, \"rowsWritten\": 0,"
                        + " \"rowsDeadLettered\": 0, \"error\": \"table missing\"}]");

        Result result = cli("runs", "nightly");

        assertThat(result.out)
                .isEqualTo(
                        "ID   STATE     STARTED                ENDED                  READ  "
                                + " WRITTEN   DLQ   ERROR\n"
                                + "r2   RUNNING   2025-01-02T00:00:00Z   <none>                 10"
                                + "     9         1\n"
                                + "r1   FAILED    1970-01-01T00:00:00Z   1970-01-01T00:01:00Z   0 "
                                + "     0         0     table missing\n");
    }

    @Test
    void runStartsARun() {
        controller.answer(
                "POST",
                "/api/v1/pipelines/nightly/runs",
                202,
                "{\"id\": \"r3\", \"state\": \"RUNNING\"}");

        Result result = cli("run", "nightly");

        assertThat(result.out).isEqualTo("pipeline/nightly run r3 started\nstate: RUNNING\n");
    }

    @Test
    void replaySendsTheProcessorAndPrintsTheCount() {
        controller.answer(
                "POST", "/api/v1/pipelines/p/dead-letters/replay", 202, "{\"replayed\": 7}");

        Result one = cli("replay", "p", "--processor", "gate");
        Result all = cli("replay", "p");

        assertThat(one.out).isEqualTo("replayed 7 dead letters\n");
        assertThat(all.out).isEqualTo("replayed 7 dead letters\n");
        assertThat(controller.requests())
                .extracting(request -> request.body)
                .containsExactly("{\"processor\":\"gate\"}", "{}");
    }

    @Test
    void catalogPrintsATableOfSources() {
        controller.answer(
                "GET",
                "/api/v1/catalog/sources",
                200,
                "[{\"topic\": \"movies.released.v1\", \"owner\": \"studio-data\", \"pipeline\":"
                        + " \"released-movies\", \"schema\": {\"subject\":"
                        + " \"movies.released.v1-value\", \"version\": 1}}]");

        Result result = cli("catalog");

        assertThat(result.out)
                .isEqualTo(
                        "TOPIC                OWNER         PIPELINE          SCHEMA\n"
                                + "movies.released.v1   studio-data   released-movies  "
                                + " movies.released.v1-value v1\n");
    }

    @Test
    void lineageAsDotAsksForDotAndPrintsTheBody() {
        controller.answer("GET", "/api/v1/lineage?format=dot", 200, "digraph lineage {\n}\n");
        controller.answer(
                "GET",
                "/api/v1/lineage/impact?source=movies&field=title",
                200,
                "{\"pipelines\": []}");

        Result dot = cli("lineage", "--format", "dot");
        Result impact = cli("lineage", "--source", "movies", "--field", "title");

        assertThat(dot.out).isEqualTo("digraph lineage {\n}\n");
        assertThat(impact.out).isEqualTo("{\"pipelines\": []}\n");
    }

    // ------------------------------------------------------------------ server, errors, usage

    @Test
    void theServerComesFromTheEnvironmentUnlessTheFlagIsGiven() {
        controller.answer("GET", "/api/v1/pipelines", 200, "[]");
        Map<String, String> env = Map.of(SluiceCli.SERVER_ENV, controller.url());

        Result fromEnv = run(new String[] {"get", "pipelines"}, "", env);
        Result flagWins =
                run(new String[] {"get", "pipelines", "--server", "http://127.0.0.1:1"}, "", env);

        assertThat(fromEnv.exitCode).isZero();
        assertThat(flagWins.exitCode).isEqualTo(1);
        assertThat(flagWins.err)
                .isEqualTo(
                        "error: cannot reach the Sluice controller at http://127.0.0.1:1 (is"
                                + " './sluice up' running?)\n");
    }

    @Test
    void aRefusedConnectionSaysToStartThePlatform() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String server = "http://127.0.0.1:" + closedPort;

        Result result =
                run(new String[] {"--server", server + "/", "get", "pipelines"}, "", Map.of());

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).isEmpty();
        assertThat(result.err)
                .isEqualTo(
                        "error: cannot reach the Sluice controller at "
                                + server
                                + " (is './sluice up' running?)\n");
    }

    @Test
    void aServerErrorWithoutJsonShowsTheStatus() {
        controller.answer("GET", "/api/v1/pipelines", 502, "Bad Gateway");

        Result result = cli("get", "pipelines");

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.err).isEqualTo("error: the controller answered HTTP 502: Bad Gateway\n");
    }

    @Test
    void helpAndNoArgumentsPrintTheUsageAndExit0() {
        Result help = cli("help");
        Result none = cli();
        Result flag = cli("--help");

        assertThat(help.exitCode).isZero();
        assertThat(help.out).isEqualTo(SluiceCli.usage());
        assertThat(none.exitCode).isZero();
        assertThat(none.out).isEqualTo(SluiceCli.usage());
        assertThat(flag.out).isEqualTo(SluiceCli.usage());
        assertThat(SluiceCli.usage())
                .contains(
                        "  up ",
                        "  demo ",
                        "--data-dir DIR",
                        "--api-port 8080",
                        "--flink-port 8081",
                        "--registry-port 8085",
                        "--kafka-port 9092",
                        "--plugins-dir DIR",
                        "  apply -f FILE ",
                        "  get pipelines [NAME]",
                        "  describe pipeline NAME",
                        "  delete pipeline NAME ",
                        "  pause pipeline NAME ",
                        "  resume pipeline NAME ",
                        "  runs NAME",
                        "  run NAME ",
                        "  replay NAME [--processor ID]",
                        "  catalog",
                        "  lineage [--format dot]",
                        "--server URL",
                        "SLUICE_SERVER");
    }

    @Test
    void anUnknownCommandPrintsTheUsageToStandardErrorAndExits2() {
        Result result = cli("frobnicate");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.out).isEmpty();
        assertThat(result.err)
                .isEqualTo("error: unknown command \"frobnicate\"\n\n" + SluiceCli.usage());
    }

    @Test
    void aFlagTheCommandDoesNotTakeIsAUsageErrorListingTheFlagsItTakes() {
        Result result = cli("delete", "pipeline", "p", "--processor", "x");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err)
                .isEqualTo(
                        "error: flag --processor is not accepted by 'delete'; it accepts:"
                                + " --server URL\n"
                                + "Run './sluice help' for usage.\n");
    }

    @Test
    void anUnknownFlagIsAUsageError() {
        Result result = cli("get", "pipelines", "--watch");

        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.err)
                .isEqualTo("error: unknown flag --watch\nRun './sluice help' for usage.\n");
    }

    // ------------------------------------------------------------------ plumbing

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tempDir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** Runs the CLI against the fake controller (given with {@code --server}). */
    private Result cli(String... args) {
        return cliWithStdin("", args);
    }

    private Result cliWithStdin(String stdin, String... args) {
        String[] withServer = new String[args.length + 2];
        System.arraycopy(args, 0, withServer, 0, args.length);
        withServer[args.length] = "--server";
        withServer[args.length + 1] = controller.url();
        if (args.length == 0) {
            // No command at all: do not add a flag, or the usage would not be what is tested.
            return run(args, stdin, Map.of());
        }
        return run(withServer, stdin, Map.of());
    }

    private static Result run(String[] args, String stdin, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        int exitCode =
                SluiceCli.run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        in,
                        env);
        return new Result(
                exitCode,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    private static final class Result {
        final int exitCode;
        final String out;
        final String err;

        Result(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }
    }

    private static final class Request {
        final String method;
        final String pathAndQuery;
        final String body;

        Request(String method, String pathAndQuery, String body) {
            this.method = method;
            this.pathAndQuery = pathAndQuery;
            this.body = body;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Request)) {
                return false;
            }
            Request other = (Request) o;
            return method.equals(other.method)
                    && pathAndQuery.equals(other.pathAndQuery)
                    && body.equals(other.body);
        }

        @Override
        public int hashCode() {
            return (method + " " + pathAndQuery + " " + body).hashCode();
        }

        @Override
        public String toString() {
            return method + " " + pathAndQuery + " " + body;
        }
    }

    /**
     * A stand-in for the controller's REST API: canned answers by method and path, and a record of
     * the requests it received. Unknown routes answer 404 with an error body.
     */
    private static final class FakeController {
        private final HttpServer server;
        private final Map<String, Object[]> answers = new ConcurrentHashMap<>();
        private final List<Request> requests = new CopyOnWriteArrayList<>();
        private volatile String lastContentType;

        FakeController() throws IOException {
            server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void answer(String method, String pathAndQuery, int status, String body) {
            answers.put(method + " " + pathAndQuery, new Object[] {status, body});
        }

        List<Request> requests() {
            return requests;
        }

        String lastContentType() {
            return lastContentType;
        }

        void stop() {
            server.stop(0);
        }

        private void handle(HttpExchange exchange) throws IOException {
            String pathAndQuery = exchange.getRequestURI().getRawPath();
            if (exchange.getRequestURI().getRawQuery() != null) {
                pathAndQuery += "?" + exchange.getRequestURI().getRawQuery();
            }
            String body =
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = exchange.getRequestMethod();
            requests.add(new Request(method, pathAndQuery, body));
            lastContentType = exchange.getRequestHeaders().getFirst("Content-Type");
            Object[] answer = answers.get(method + " " + pathAndQuery);
            int status = answer == null ? 404 : (Integer) answer[0];
            String responseBody =
                    answer == null
                            ? "{\"error\": \"no route " + method + " " + pathAndQuery + "\"}"
                            : (String) answer[1];
            byte[] bytes = responseBody.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream response = exchange.getResponseBody()) {
                response.write(bytes);
            }
        }
    }
}

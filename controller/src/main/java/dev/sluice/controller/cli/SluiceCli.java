package dev.sluice.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.controller.cli.CliArguments.Flag;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code ./sluice} command-line client: kubectl-like commands over the controller's REST API.
 *
 * <p>It exists so that people and scripts can drive Sluice without writing HTTP calls, with the
 * conventions they already know from kubectl ({@code apply -f}, {@code get}, {@code describe},
 * {@code -o json}). It is deliberately thin: every command is one REST call, all validation happens
 * in the controller and its error (with the JSON pointer of the field to fix) is printed as is. It
 * uses only the JDK's HTTP client and Jackson so that it starts quickly; {@code up} and {@code
 * demo} (which start the platform) are dispatched elsewhere by {@code SluiceMain}.
 *
 * <p>Exit codes: {@value #EXIT_OK} success, {@value #EXIT_FAILURE} the server refused the request
 * or could not be reached, {@value #EXIT_USAGE} the command line was wrong.
 */
public final class SluiceCli {
    /** Exit code of a command that did what it was asked. */
    public static final int EXIT_OK = 0;

    /** Exit code of a command the controller refused, or that could not reach the controller. */
    public static final int EXIT_FAILURE = CliException.FAILURE;

    /** Exit code of a command line that could not be understood. */
    public static final int EXIT_USAGE = CliException.USAGE;

    /** Environment variable holding the controller's URL when {@code --server} is not given. */
    public static final String SERVER_ENV = "SLUICE_SERVER";

    /** The controller's URL when neither {@code --server} nor {@value #SERVER_ENV} is given. */
    public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    private static final String PIPELINES = "/api/v1/pipelines";

    private static final Set<String> PIPELINE_RESOURCES = Set.of("pipeline", "pipelines", "pl");

    private static final String USAGE =
            String.join(
                    "\n",
                    "Sluice: declarative streaming pipelines between databases, Kafka and the lake.",
                    "",
                    "Usage: ./sluice COMMAND [ARGS] [FLAGS]",
                    "",
                    "Platform:",
                    "  up                                  Start the embedded platform in the"
                            + " foreground: controller, Flink,",
                    "                                      schema registry and Kafka",
                    "  demo                                'up', plus a sample source with live"
                            + " changes and a sample pipeline,",
                    "                                      printing records as they flow",
                    "    Flags of up and demo:",
                    "      --data-dir DIR                  where all state lives (default"
                            + " ./.sluice)",
                    "      --api-port 8080                 the controller's REST API",
                    "      --flink-port 8081               the Flink dashboard",
                    "      --registry-port 8085            the schema registry",
                    "      --kafka-port 9092               the Kafka broker",
                    "      --plugins-dir DIR               processor jars to load (default"
                            + " <data-dir>/plugins)",
                    "",
                    "Pipelines:",
                    "  apply -f FILE                       Create or update the pipeline in FILE"
                            + " ('-' reads stdin)",
                    "  get pipelines [NAME] [-o json]      List pipelines: name, owner, mode,"
                            + " state, reason",
                    "  describe pipeline NAME [-o json]    Show a pipeline's state, Flink jobs,"
                            + " topics, plan, schemas,",
                    "                                      metrics and definition",
                    "  delete pipeline NAME                Stop a pipeline's jobs and remove it",
                    "  pause pipeline NAME                 Stop a pipeline with a savepoint",
                    "  resume pipeline NAME                Resume a paused pipeline from its"
                            + " savepoint",
                    "  runs NAME [-o json]                 List a batch pipeline's runs, newest"
                            + " first",
                    "  run NAME                            Start a run of a batch pipeline now",
                    "  replay NAME [--processor ID]        Re-inject a pipeline's dead letters"
                            + " (all, or one node's)",
                    "",
                    "Catalog and lineage:",
                    "  catalog [-o json]                   List the sources pipelines can read:"
                            + " topic, owner, producer",
                    "  lineage [--format dot]              Print the field-level lineage graph"
                            + " (JSON, or Graphviz DOT)",
                    "  lineage --source TOPIC --field F    Show what reads a field downstream",
                    "",
                    "  help                                Show this help",
                    "",
                    "Client flags:",
                    "  --server URL                        The controller (env "
                            + SERVER_ENV
                            + ", default "
                            + DEFAULT_SERVER
                            + ")",
                    "  -o json                             Print the controller's JSON instead of"
                            + " a table",
                    "",
                    "Exit codes: 0 ok, 1 refused by the controller or cannot reach it, 2 bad"
                            + " command line.",
                    "");

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Map<String, String> env;
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonText json = new JsonText(mapper);

    private SluiceCli(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
    }

    /**
     * Runs one command, printing results to {@code out} and errors to {@code err}.
     *
     * @return the process exit code: 0 ok, 1 failed (server or connection), 2 usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.in, System.getenv());
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, with stdin and environment given. */
    static int run(
            String[] args,
            PrintStream out,
            PrintStream err,
            InputStream in,
            Map<String, String> env) {
        SluiceCli cli = new SluiceCli(out, err, in, env);
        try {
            return cli.dispatch(CliArguments.parse(args));
        } catch (CliException e) {
            e.lines().forEach(line -> cli.println(err, line));
            return e.exitCode();
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The help text, as {@code ./sluice help} prints it. */
    public static String usage() {
        return USAGE;
    }

    private int dispatch(CliArguments args) throws CliException {
        Optional<String> command = args.positional(0);
        if (command.isEmpty() || command.get().equals("help") || args.has(Flag.HELP)) {
            out.print(USAGE);
            return EXIT_OK;
        }
        switch (command.get()) {
            case "apply":
                return apply(args);
            case "get":
                return get(args);
            case "describe":
                return describe(args);
            case "delete":
                return delete(args);
            case "pause":
                return pauseOrResume(args, "pause", "paused");
            case "resume":
                return pauseOrResume(args, "resume", "resumed");
            case "runs":
                return runs(args);
            case "run":
                return run(args);
            case "replay":
                return replay(args);
            case "catalog":
                return catalog(args);
            case "lineage":
                return lineage(args);
            case "up":
            case "demo":
                throw CliException.usage(
                        "'"
                                + command.get()
                                + "' starts the platform: run it as ./sluice "
                                + command.get()
                                + " (dev.sluice.controller.SluiceMain), not through the client");
            default:
                println(err, "error: unknown command \"" + command.get() + "\"");
                println(err, "");
                err.print(USAGE);
                return EXIT_USAGE;
        }
    }

    // ---------------------------------------------------------------- commands

    private int apply(CliArguments args) throws CliException {
        args.requireOnly("apply", Flag.FILENAME);
        args.requireAtMostPositionals(1, "apply -f FILE");
        String file =
                args.value(Flag.FILENAME)
                        .orElseThrow(
                                () ->
                                        CliException.usage(
                                                "apply needs -f FILE (a pipeline JSON file, or -"
                                                        + " for stdin)"));
        String text = readPipelineFile(file);
        String source = file.equals("-") ? "stdin" : file;
        JsonNode definition;
        try {
            definition = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw CliException.failure(
                    source + " is not valid JSON: " + e.getOriginalMessage().split("\n")[0]);
        }
        if (definition == null || !definition.isObject()) {
            throw CliException.failure(source + " must hold one pipeline JSON object");
        }
        JsonNode name = definition.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw CliException.failure(
                    source + ": the pipeline has no \"name\" (a string such as \"my-pipeline\")");
        }
        String pipeline = name.asText();
        ControllerResponse response = client(args).send("PUT", pipelinePath(pipeline), text);
        requireSuccess(response);
        println(
                out,
                "pipeline/" + pipeline + (response.status() == 201 ? " created" : " configured"));
        printState(response);
        return EXIT_OK;
    }

    private int get(CliArguments args) throws CliException {
        args.requireOnly("get", Flag.OUTPUT);
        String resource =
                args.positional(1)
                        .orElseThrow(
                                () ->
                                        CliException.usage(
                                                "get needs a resource; usage: ./sluice get"
                                                        + " pipelines [NAME]"));
        requirePipelineResource("get", resource);
        args.requireAtMostPositionals(3, "get pipelines [NAME]");
        boolean asJson = jsonOutput(args);
        ControllerClient client = client(args);
        Optional<String> name = args.positional(2);
        ControllerResponse response =
                client.send("GET", name.map(SluiceCli::pipelinePath).orElse(PIPELINES), null);
        requireSuccess(response);
        if (asJson) {
            printRaw(response);
            return EXIT_OK;
        }
        JsonNode body = parse(response);
        List<JsonNode> pipelines =
                name.isPresent() ? List.of(body) : items(body, "pipelines", "items");
        if (pipelines.isEmpty()) {
            println(out, "No pipelines.");
            return EXIT_OK;
        }
        TextTable table = new TextTable("NAME", "OWNER", "MODE", "STATE", "REASON");
        for (JsonNode pipeline : pipelines) {
            table.addRow(
                    JsonText.cell(pipeline, "name"),
                    statusCell(pipeline, "owner"),
                    statusCell(pipeline, "mode"),
                    statusCell(pipeline, "state"),
                    statusText(pipeline, "reason", "lastError", "error").orElse(""));
        }
        table.lines().forEach(line -> println(out, line));
        return EXIT_OK;
    }

    private int describe(CliArguments args) throws CliException {
        args.requireOnly("describe", Flag.OUTPUT);
        String name = pipelineName(args, "describe");
        boolean asJson = jsonOutput(args);
        ControllerResponse response = client(args).send("GET", pipelinePath(name), null);
        requireSuccess(response);
        if (asJson) {
            printRaw(response);
            return EXIT_OK;
        }
        JsonNode body = parse(response);
        if (!body.isObject()) {
            throw CliException.failure(
                    "the controller answered with JSON that is not a pipeline: " + body);
        }
        PipelineDescription.lines(body, json).forEach(line -> println(out, line));
        return EXIT_OK;
    }

    private int delete(CliArguments args) throws CliException {
        args.requireOnly("delete");
        String name = pipelineName(args, "delete");
        requireSuccess(client(args).send("DELETE", pipelinePath(name), null));
        println(out, "pipeline/" + name + " deleted");
        return EXIT_OK;
    }

    private int pauseOrResume(CliArguments args, String verb, String done) throws CliException {
        args.requireOnly(verb);
        String name = pipelineName(args, verb);
        ControllerResponse response =
                client(args).send("POST", pipelinePath(name) + "/" + verb, null);
        requireSuccess(response);
        println(out, "pipeline/" + name + " " + done);
        printState(response);
        return EXIT_OK;
    }

    private int runs(CliArguments args) throws CliException {
        args.requireOnly("runs", Flag.OUTPUT);
        args.requireAtMostPositionals(2, "runs NAME");
        String name = requiredName(args, 1, "runs NAME");
        boolean asJson = jsonOutput(args);
        ControllerResponse response = client(args).send("GET", pipelinePath(name) + "/runs", null);
        requireSuccess(response);
        if (asJson) {
            printRaw(response);
            return EXIT_OK;
        }
        List<JsonNode> runs = items(parse(response), "runs", "items");
        if (runs.isEmpty()) {
            println(out, "No runs.");
            return EXIT_OK;
        }
        TextTable table =
                new TextTable("ID", "STATE", "STARTED", "ENDED", "READ", "WRITTEN", "DLQ", "ERROR");
        for (JsonNode run : runs) {
            table.addRow(
                    JsonText.cell(run, "id"),
                    JsonText.cell(run, "state"),
                    JsonText.time(run, "startedAt"),
                    JsonText.time(run, "endedAt"),
                    JsonText.cell(run, "rowsRead"),
                    JsonText.cell(run, "rowsWritten"),
                    JsonText.cell(run, "rowsDeadLettered"),
                    JsonText.first(run, "error").map(JsonText::scalar).orElse(""));
        }
        table.lines().forEach(line -> println(out, line));
        return EXIT_OK;
    }

    private int run(CliArguments args) throws CliException {
        args.requireOnly("run");
        args.requireAtMostPositionals(2, "run NAME");
        String name = requiredName(args, 1, "run NAME");
        ControllerResponse response = client(args).send("POST", pipelinePath(name) + "/runs", null);
        requireSuccess(response);
        JsonNode body = parseOrNull(response);
        Optional<String> id = JsonText.first(body, "id").map(JsonText::scalar);
        println(out, "pipeline/" + name + " run " + id.map(i -> i + " ").orElse("") + "started");
        printState(response);
        return EXIT_OK;
    }

    private int replay(CliArguments args) throws CliException {
        args.requireOnly("replay", Flag.PROCESSOR);
        args.requireAtMostPositionals(2, "replay NAME [--processor ID]");
        String name = requiredName(args, 1, "replay NAME [--processor ID]");
        ObjectNode request = mapper.createObjectNode();
        args.value(Flag.PROCESSOR).ifPresent(processor -> request.put("processor", processor));
        ControllerResponse response =
                client(args)
                        .send(
                                "POST",
                                pipelinePath(name) + "/dead-letters/replay",
                                request.toString());
        requireSuccess(response);
        JsonNode body = parseOrNull(response);
        Optional<JsonNode> count = JsonText.first(body, "replayed", "count", "replayedCount");
        if (count.isEmpty() && body != null && body.isIntegralNumber()) {
            count = Optional.of(body);
        }
        if (count.isPresent() && count.get().canConvertToLong()) {
            long n = count.get().asLong();
            println(out, "replayed " + n + (n == 1 ? " dead letter" : " dead letters"));
        } else {
            println(out, "dead-letter replay of pipeline/" + name + " accepted");
        }
        return EXIT_OK;
    }

    private int catalog(CliArguments args) throws CliException {
        args.requireOnly("catalog", Flag.OUTPUT);
        args.requireAtMostPositionals(1, "catalog");
        boolean asJson = jsonOutput(args);
        ControllerResponse response = client(args).send("GET", "/api/v1/catalog/sources", null);
        requireSuccess(response);
        if (asJson) {
            printRaw(response);
            return EXIT_OK;
        }
        List<JsonNode> sources = items(parse(response), "sources", "items");
        if (sources.isEmpty()) {
            println(out, "No sources.");
            return EXIT_OK;
        }
        TextTable table = new TextTable("TOPIC", "OWNER", "PIPELINE", "SCHEMA");
        for (JsonNode source : sources) {
            table.addRow(
                    JsonText.cell(source, "topic", "name"),
                    JsonText.cell(source, "owner"),
                    JsonText.cell(source, "pipeline", "producedBy", "producingPipeline"),
                    schemaCell(source));
        }
        table.lines().forEach(line -> println(out, line));
        return EXIT_OK;
    }

    private int lineage(CliArguments args) throws CliException {
        args.requireOnly("lineage", Flag.FORMAT, Flag.SOURCE, Flag.FIELD);
        args.requireAtMostPositionals(1, "lineage [--format dot]");
        Optional<String> source = args.value(Flag.SOURCE);
        Optional<String> field = args.value(Flag.FIELD);
        String path;
        if (source.isPresent() || field.isPresent()) {
            if (source.isEmpty() || field.isEmpty() || args.has(Flag.FORMAT)) {
                throw CliException.usage(
                        "the impact of a field needs both --source TOPIC and --field FIELD (and"
                                + " no --format)");
            }
            path =
                    "/api/v1/lineage/impact?source="
                            + encode(source.get())
                            + "&field="
                            + encode(field.get());
        } else {
            String format = args.value(Flag.FORMAT).orElse("json");
            if (format.equals("json")) {
                path = "/api/v1/lineage";
            } else if (format.equals("dot")) {
                path = "/api/v1/lineage?format=dot";
            } else {
                throw CliException.usage(
                        "unsupported --format \"" + format + "\"; allowed: json, dot");
            }
        }
        ControllerResponse response = client(args).send("GET", path, null);
        requireSuccess(response);
        printRaw(response);
        return EXIT_OK;
    }

    // ---------------------------------------------------------------- helpers

    private ControllerClient client(CliArguments args) throws CliException {
        String server =
                args.value(Flag.SERVER)
                        .or(() -> Optional.ofNullable(env.get(SERVER_ENV)))
                        .filter(s -> !s.isBlank())
                        .orElse(DEFAULT_SERVER);
        return ControllerClient.of(server);
    }

    private static boolean jsonOutput(CliArguments args) throws CliException {
        Optional<String> output = args.value(Flag.OUTPUT);
        if (output.isPresent() && !output.get().equals("json")) {
            throw CliException.usage(
                    "unsupported output format \"" + output.get() + "\"; allowed: json");
        }
        return output.isPresent();
    }

    /** The NAME of {@code VERB pipeline NAME}. */
    private static String pipelineName(CliArguments args, String verb) throws CliException {
        String shape = verb + " pipeline NAME";
        args.requireAtMostPositionals(3, shape);
        String resource =
                args.positional(1)
                        .orElseThrow(() -> CliException.usage("usage: ./sluice " + shape));
        requirePipelineResource(verb, resource);
        return requiredName(args, 2, shape);
    }

    private static String requiredName(CliArguments args, int index, String shape)
            throws CliException {
        return args.positional(index)
                .filter(name -> !name.isBlank())
                .orElseThrow(() -> CliException.usage("missing NAME; usage: ./sluice " + shape));
    }

    private static void requirePipelineResource(String verb, String resource) throws CliException {
        if (!PIPELINE_RESOURCES.contains(resource)) {
            throw CliException.usage(
                    "unknown resource \""
                            + resource
                            + "\" for '"
                            + verb
                            + "'; allowed: pipeline, pipelines");
        }
    }

    private static String pipelinePath(String name) {
        return PIPELINES + "/" + encode(name);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String readPipelineFile(String file) throws CliException {
        try {
            if (file.equals("-")) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CliException.failure("cannot read " + file + ": no such file");
        } catch (IOException | UncheckedIOException e) {
            throw CliException.failure("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Fails with the controller's {@code error} (and {@code pointer}) unless it said 2xx. */
    private void requireSuccess(ControllerResponse response) throws CliException {
        if (response.isSuccess()) {
            return;
        }
        JsonNode body = parseOrNull(response);
        Optional<JsonNode> error = JsonText.first(body, "error", "message");
        if (error.isPresent()) {
            List<String> lines = new ArrayList<>();
            lines.add("error: " + JsonText.scalar(error.get()));
            JsonText.first(body, "pointer")
                    .map(JsonText::scalar)
                    .filter(pointer -> !pointer.isEmpty())
                    .ifPresent(pointer -> lines.add("  at: " + pointer));
            throw CliException.failure(lines);
        }
        String text = response.body().strip();
        throw CliException.failure(
                "the controller answered HTTP "
                        + response.status()
                        + (text.isEmpty() ? "" : ": " + firstLine(text)));
    }

    private void printState(ControllerResponse response) {
        JsonNode body = parseOrNull(response);
        statusText(body, "state").ifPresent(state -> println(out, "state: " + state));
        statusText(body, "reason").ifPresent(reason -> println(out, "reason: " + reason));
    }

    private void printRaw(ControllerResponse response) {
        String body = response.body();
        if (body.isEmpty()) {
            return;
        }
        out.print(body);
        if (!body.endsWith("\n")) {
            out.print('\n');
        }
    }

    private JsonNode parse(ControllerResponse response) throws CliException {
        JsonNode body = parseOrNull(response);
        if (body == null) {
            throw CliException.failure(
                    "the controller answered HTTP "
                            + response.status()
                            + " with a body that is not JSON: "
                            + firstLine(response.body().strip()));
        }
        return body;
    }

    private JsonNode parseOrNull(ControllerResponse response) {
        if (response.body().isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(response.body());
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The elements of a list body: a JSON array, or the array under one of {@code keys}. */
    private static List<JsonNode> items(JsonNode body, String... keys) throws CliException {
        JsonNode array = body;
        if (body.isObject()) {
            array = JsonText.first(body, keys).orElse(null);
        }
        if (array == null || !array.isArray()) {
            throw CliException.failure(
                    "the controller answered with JSON that is not a list: "
                            + firstLine(body.toString()));
        }
        List<JsonNode> items = new ArrayList<>(array.size());
        array.forEach(items::add);
        return items;
    }

    /** A status field at the top level of a pipeline body or in its {@code status} object. */
    private static Optional<String> statusText(JsonNode pipeline, String... keys) {
        Optional<JsonNode> value = JsonText.first(pipeline, keys);
        if (value.isEmpty() && pipeline != null) {
            value = JsonText.first(pipeline.get("status"), keys);
        }
        return value.map(JsonText::scalar).filter(s -> !s.isBlank());
    }

    private static String statusCell(JsonNode pipeline, String key) {
        return statusText(pipeline, key).orElse(JsonText.NONE);
    }

    private static String schemaCell(JsonNode source) {
        Optional<JsonNode> schema = JsonText.first(source, "schema", "subject");
        if (schema.isEmpty()) {
            return JsonText.NONE;
        }
        JsonNode value = schema.get();
        if (value.isObject()) {
            Optional<String> subject = JsonText.first(value, "subject").map(JsonText::scalar);
            Optional<String> version = JsonText.first(value, "version").map(JsonText::scalar);
            if (subject.isPresent()) {
                return subject.get() + version.map(v -> " v" + v).orElse("");
            }
            return JsonText.first(value, "name").map(JsonText::scalar).orElse(JsonText.NONE);
        }
        return JsonText.scalar(value);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline >= 0 ? text.substring(0, newline) : text;
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private void println(PrintStream stream, String line) {
        stream.print(line);
        stream.print('\n');
    }
}

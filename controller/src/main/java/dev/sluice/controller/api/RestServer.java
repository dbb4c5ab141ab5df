package dev.sluice.controller.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.connectors.events.EventStreams;
import dev.sluice.controller.deployment.FlinkRestMetrics;
import dev.sluice.controller.deployment.SchemaConflictException;
import dev.sluice.controller.lineage.LineageGraph;
import dev.sluice.controller.lineage.UnknownLineageSourceException;
import dev.sluice.controller.service.ApiException;
import dev.sluice.controller.service.PipelineService;
import dev.sluice.controller.service.PlanSummary;
import dev.sluice.controller.store.BatchRun;
import dev.sluice.controller.store.JobIds;
import dev.sluice.controller.store.PipelineState;
import dev.sluice.controller.store.StoredPipeline;
import dev.sluice.controller.validation.PipelineValidationException;
import dev.sluice.schemas.registry.RegisteredSchema;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.sdk.config.ConfigValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's REST API ({@code /api/v1/...}, {@code /health}, {@code /metrics}). Handlers only
 * translate HTTP to {@link PipelineService} calls; every error becomes {@code {"error", "pointer"}}
 * with its status in {@link #fail}, never ad hoc.
 */
public final class RestServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);
    private static final Pattern PIPELINE =
            Pattern.compile("^/api/v1/pipelines/([^/]+)(/[a-z/-]+)?$");
    private static final int MAX_BODY = 1 << 20;

    static {
        // Without TCP_NODELAY the JDK server adds ~40 ms to every response (Nagle + delayed ack).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final PipelineService service;
    private final String dashboardUrl;
    private final ObjectMapper json = new ObjectMapper();
    private final FlinkRestMetrics metrics;
    private final HttpServer server;
    private final ExecutorService executor;

    public RestServer(PipelineService service, String host, int port, String dashboardUrl)
            throws IOException {
        this.service = service;
        this.dashboardUrl = dashboardUrl;
        this.metrics = new FlinkRestMetrics(dashboardUrl);
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        this.executor =
                Executors.newFixedThreadPool(
                        4,
                        r -> {
                            Thread t = new Thread(r, "sluice-rest");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (PipelineValidationException e) {
            fail(ex, 400, e.getMessage(), e.pointer());
        } catch (ConfigValidationException e) {
            fail(ex, 400, e.getMessage(), e.pointer());
        } catch (SchemaConflictException e) {
            fail(ex, 409, e.getMessage(), null);
        } catch (ApiException e) {
            fail(ex, e.status(), e.getMessage(), e.pointer());
        } catch (Exception e) {
            LOG.error("internal error on {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
            fail(ex, 500, "internal error: " + e, null);
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.equals("/health")) {
            only(method, "GET");
            send(ex, 200, json.createObjectNode().put("status", "UP"));
            return;
        }
        if (path.equals("/metrics")) {
            only(method, "GET");
            sendText(ex, 200, metrics(), "text/plain; version=0.0.4; charset=utf-8");
            return;
        }
        if (path.equals("/api/v1/pipelines")) {
            only(method, "GET");
            ArrayNode list = json.createArrayNode();
            for (StoredPipeline p : service.list()) {
                ObjectNode item = list.addObject();
                ObjectNode def = (ObjectNode) PipelineService.definitionOf(p);
                item.put("name", p.name());
                item.set("owner", def.get("owner"));
                item.put("mode", def.path("mode").asText("streaming"));
                item.put("state", p.state().name());
                item.put("reason", p.reason());
                item.put(
                        "lastError",
                        p.state() == PipelineState.FAILED || p.state() == PipelineState.BLOCKED
                                ? p.reason()
                                : null);
                item.put(
                        "jobId",
                        JobIds.parse(p.jobId()).values().stream().findFirst().orElse(null));
            }
            send(ex, 200, list);
            return;
        }
        if (path.equals("/api/v1/catalog/sources")) {
            only(method, "GET");
            send(ex, 200, catalog());
            return;
        }
        if (path.equals("/api/v1/lineage")) {
            only(method, "GET");
            LineageGraph graph = LineageGraph.of(service.currentPlans());
            String format = queryParam(ex, "format");
            if ("dot".equals(format)) {
                sendText(ex, 200, graph.toDot(), "text/vnd.graphviz; charset=utf-8");
            } else if (format == null || format.equals("json")) {
                send(ex, 200, graph.toJson());
            } else {
                throw new ApiException(
                        400, "unknown format '" + format + "'; allowed: json, dot", "/format");
            }
            return;
        }
        if (path.equals("/api/v1/lineage/impact")) {
            only(method, "GET");
            String source = queryParam(ex, "source");
            String field = queryParam(ex, "field");
            if (source == null || source.isBlank() || field == null || field.isBlank()) {
                throw new ApiException(
                        400,
                        "expected ?source=<topic>&field=<field>, e.g."
                                + " /api/v1/lineage/impact?source=orders&field=status",
                        source == null || source.isBlank() ? "/source" : "/field");
            }
            try {
                send(
                        ex,
                        200,
                        LineageGraph.of(service.currentPlans()).impact(source, field).toJson());
            } catch (UnknownLineageSourceException e) {
                throw new ApiException(
                        404, e.getMessage(), e.field().isPresent() ? "/field" : "/source");
            }
            return;
        }
        Matcher m = PIPELINE.matcher(path);
        if (m.matches()) {
            String name = m.group(1);
            String action = m.group(2) == null ? "" : m.group(2);
            switch (action) {
                case "":
                    pipeline(ex, method, name);
                    return;
                case "/pause":
                    only(method, "POST");
                    send(ex, 200, view(service.pause(name)));
                    return;
                case "/resume":
                    only(method, "POST");
                    send(ex, 200, view(service.resume(name)));
                    return;
                case "/runs":
                    if (method.equals("GET")) {
                        ArrayNode runs = json.createArrayNode();
                        service.runs(name).forEach(r -> runs.add(runView(r)));
                        send(ex, 200, runs);
                        return;
                    }
                    only(method, "POST");
                    send(ex, 202, runView(service.runNow(name)));
                    return;
                case "/dead-letters/replay":
                    only(method, "POST");
                    String[] filter = replayFilter(body(ex));
                    ObjectNode replayed = json.createObjectNode();
                    replayed.put("replayed", service.replayDeadLetters(name, filter[0], filter[1]));
                    send(ex, 202, replayed);
                    return;
                default:
                    break;
            }
        }
        throw new ApiException(404, "no such resource: " + method + " " + path, null);
    }

    private void pipeline(HttpExchange ex, String method, String name) throws IOException {
        switch (method) {
            case "GET":
                send(ex, 200, view(service.get(name)));
                return;
            case "PUT":
                PipelineService.Applied applied = service.apply(name, body(ex));
                send(ex, applied.created ? 201 : 200, view(applied.pipeline));
                return;
            case "DELETE":
                service.delete(name);
                ObjectNode deleted = json.createObjectNode();
                deleted.put("name", name);
                deleted.put("deleted", true);
                send(ex, 200, deleted);
                return;
            default:
                throw new ApiException(
                        405,
                        "method " + method + " is not allowed here; allowed: GET, PUT, DELETE",
                        null);
        }
    }

    /**
     * The body of a replay request: {@code {}}, or a filter by {@code processor} (a node id) and/or
     * {@code reason} (text the dead letter's error class or message contains, ignoring case).
     * Returns {processor, reason}, each {@code null} when not given.
     */
    private String[] replayFilter(String body) {
        String[] filter = new String[2];
        if (body.isBlank()) {
            return filter;
        }
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw new ApiException(400, "malformed JSON: " + e.getMessage(), "");
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(
                    400,
                    "expected an object such as {\"processor\": \"gate\"} or {\"reason\":"
                            + " \"division by zero\"}",
                    "");
        }
        java.util.Iterator<String> keys = node.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!key.equals("processor") && !key.equals("reason")) {
                throw new ApiException(
                        400,
                        "unknown key '"
                                + key
                                + "' at /"
                                + key
                                + "; allowed keys: processor, reason",
                        "/" + key);
            }
        }
        filter[0] = textOrNull(node, "processor", "a node id (a string)");
        filter[1] = textOrNull(node, "reason", "text the error contains (a string)");
        if (filter[1] != null && filter[1].isBlank()) {
            throw new ApiException(400, "/reason: must not be empty", "/reason");
        }
        return filter;
    }

    private static String textOrNull(
            com.fasterxml.jackson.databind.JsonNode node, String key, String expected) {
        com.fasterxml.jackson.databind.JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ApiException(400, "/" + key + ": expected " + expected, "/" + key);
        }
        return value.asText();
    }

    private ObjectNode runView(BatchRun r) {
        ObjectNode out = json.createObjectNode();
        out.put("id", r.id());
        out.put("state", r.state().name());
        out.put("cause", r.cause());
        out.put("attempt", r.attempt());
        out.put("jobId", r.jobId());
        out.put("startedAt", r.startedAt().toString());
        out.put("endedAt", r.endedAt() == null ? null : r.endedAt().toString());
        if (r.retryAt() != null) {
            out.put("retryAt", r.retryAt().toString());
        }
        out.put("rowsRead", r.rowsRead());
        out.put("rowsWritten", r.rowsWritten());
        out.put("rowsDeadLettered", r.rowsDeadLettered());
        out.put("error", r.error());
        return out;
    }

    private ObjectNode view(StoredPipeline p) {
        ObjectNode out = json.createObjectNode();
        ObjectNode def = (ObjectNode) PipelineService.definitionOf(p);
        out.put("name", p.name());
        out.set("owner", def.get("owner"));
        out.set("description", def.get("description"));
        out.put("mode", def.path("mode").asText("streaming"));
        out.put("state", p.state().name());
        out.put("reason", p.reason());
        Map<String, String> jobs = JobIds.parse(p.jobId());
        String firstJob = jobs.isEmpty() ? null : jobs.values().iterator().next();
        out.put("jobId", firstJob);
        ArrayNode jobIds = out.putArray("jobIds");
        jobs.values().forEach(jobIds::add);
        if (firstJob != null) {
            out.put("dashboard", dashboardUrl + "/#/job/running/" + firstJob + "/overview");
        }
        out.put("restarts", p.restarts());
        PlanSummary summary = service.summary(p.name()).orElse(null);
        if (!jobs.isEmpty() && p.state() == PipelineState.RUNNING) {
            try {
                out.set("metrics", json.valueToTree(metricsSummary(jobs, summary)));
            } catch (Exception e) {
                out.putObject("metrics").put("unavailable", e.getMessage());
            }
        }
        if (summary != null) {
            PlanSummary s = summary;
            ObjectNode topics = out.putObject("topics");
            topics.set("inputs", json.valueToTree(s.inputTopics));
            topics.set("outputs", json.valueToTree(s.outputTopics));
            topics.put("deadLetters", s.deadLetterTopic);
            ArrayNode intermediate = topics.putArray("intermediate");
            s.jobs.stream()
                    .filter(j -> j.intermediateTopic != null)
                    .forEach(j -> intermediate.add(j.intermediateTopic));
            ObjectNode schemas = out.putObject("schemas");
            for (String t : s.outputTopics) {
                schemas.put(t, t + "-value");
            }
            ObjectNode plan = out.putObject("plan");
            plan.put("isolation", def.path("options").path("isolation").asText("fused"));
            ArrayNode planJobs = plan.putArray("jobs");
            for (PlanSummary.Job j : s.jobs) {
                ObjectNode job = planJobs.addObject();
                job.put("name", j.name);
                String jobId = jobs.get(j.key);
                job.put("jobId", jobId);
                ArrayNode nodes = job.putArray("nodes");
                s.nodes.stream()
                        .filter(n -> j.nodes.contains((String) n.get("id")))
                        .forEach(n -> nodes.add(json.valueToTree(n)));
                if (j.intermediateTopic != null) {
                    job.put("publishes", j.intermediateTopic);
                }
                if (jobId != null) {
                    try {
                        job.set("tasks", json.valueToTree(metrics.tasks(jobId)));
                    } catch (Exception e) {
                        job.put("tasks", "unavailable: " + e.getMessage());
                    }
                }
            }
        }
        out.set("definition", def);
        out.put("createdAt", p.createdAt().toString());
        out.put("updatedAt", p.updatedAt().toString());
        return out;
    }

    /**
     * Records read, dead letters and per-node figures over all of a pipeline's jobs. Each node's
     * figures come from the job that runs it; a source read by several per-processor jobs counts
     * once (its largest figure).
     */
    private Map<String, Object> metricsSummary(Map<String, String> jobs, PlanSummary summary)
            throws Exception {
        java.util.Set<String> sources = new java.util.HashSet<>();
        if (summary != null) {
            summary.nodes.stream()
                    .filter(n -> "source".equals(n.get("kind")))
                    .forEach(n -> sources.add((String) n.get("id")));
        }
        Map<String, Map<String, Long>> merged = new java.util.TreeMap<>();
        for (Map.Entry<String, String> job : jobs.entrySet()) {
            java.util.Set<String> owned = null;
            if (summary != null) {
                for (PlanSummary.Job j : summary.jobs) {
                    if (j.key.equals(job.getKey())) {
                        owned = j.nodes;
                    }
                }
            }
            for (Map.Entry<String, Map<String, Long>> e :
                    metrics.nodeMetrics(job.getValue()).entrySet()) {
                String node = e.getKey();
                if (owned == null || owned.contains(node)) {
                    merged.put(node, e.getValue());
                } else if (sources.contains(node)) {
                    merged.merge(
                            node,
                            e.getValue(),
                            (a, b) ->
                                    a.getOrDefault("recordsIn", 0L)
                                                    >= b.getOrDefault("recordsIn", 0L)
                                            ? a
                                            : b);
                }
            }
        }
        long read = 0;
        long dead = 0;
        for (Map.Entry<String, Map<String, Long>> e : merged.entrySet()) {
            dead += e.getValue().getOrDefault("deadLetters", 0L);
            if (sources.contains(e.getKey())) {
                // A source's decode step sees every record read.
                read += e.getValue().getOrDefault("recordsIn", 0L);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recordsRead", read);
        m.put("deadLetters", dead);
        m.put("nodes", merged);
        return m;
    }

    /**
     * The source catalog: every topic a pipeline's capture source fronts ({@code cdc}), every topic
     * a pipeline publishes ({@code derived}), and every application event stream registered by the
     * event library ({@code events}), with its schema subject and version, owner, producing
     * pipeline and key.
     */
    private ArrayNode catalog() {
        ArrayNode out = json.createArrayNode();
        java.util.Set<String> listed = new java.util.HashSet<>();
        SchemaRegistryClient registry = service.registry();
        for (StoredPipeline p : service.list()) {
            PlanSummary s = service.summary(p.name()).orElse(null);
            if (s == null) {
                continue;
            }
            ObjectNode def = (ObjectNode) PipelineService.definitionOf(p);
            String owner = def.path("owner").isTextual() ? def.path("owner").asText() : null;
            for (Map<String, Object> node : s.nodes) {
                if ("source".equals(node.get("kind"))
                        && !"kafka".equals(node.get("type"))
                        && node.get("topics") instanceof List) {
                    for (Object topic : (List<?>) node.get("topics")) {
                        if (listed.add(topic.toString())) {
                            out.add(
                                    catalogItem(
                                            registry, topic.toString(), owner, p.name(), "cdc"));
                        }
                    }
                }
            }
            for (String topic : s.outputTopics) {
                if (!topic.equals(s.deadLetterTopic) && listed.add(topic)) {
                    out.add(catalogItem(registry, topic, owner, p.name(), "derived"));
                }
            }
        }
        List<String> subjects;
        try {
            subjects = registry.subjects();
        } catch (RuntimeException e) {
            subjects = List.of();
        }
        for (String subject : subjects) {
            if (!subject.endsWith("-value")) {
                continue;
            }
            String topic = subject.substring(0, subject.length() - "-value".length());
            if (listed.contains(topic)) {
                continue;
            }
            RegisteredSchema latest = registry.getLatest(subject).orElse(null);
            if (latest != null && EventStreams.isEventStream(latest.schema())) {
                listed.add(topic);
                out.add(
                        catalogItem(
                                registry,
                                topic,
                                latest.schema().getProp(EventStreams.OWNER_PROPERTY),
                                null,
                                "events"));
            }
        }
        return out;
    }

    private ObjectNode catalogItem(
            SchemaRegistryClient registry,
            String topic,
            String owner,
            String pipeline,
            String kind) {
        ObjectNode item = json.createObjectNode();
        item.put("topic", topic);
        item.put("subject", topic + "-value");
        item.put("owner", owner);
        item.put("pipeline", pipeline);
        item.put("kind", kind);
        try {
            registry.getLatest(topic + "-value")
                    .ifPresent(
                            v -> {
                                item.put("version", v.version());
                                item.put("schemaId", v.id());
                            });
            java.util.Optional<RegisteredSchema> key = registry.getLatest(topic + "-key");
            if (key.isPresent()) {
                ObjectNode k = item.putObject("key");
                k.put("subject", topic + "-key");
                ArrayNode fields = k.putArray("fields");
                key.get().schema().getFields().forEach(f -> fields.add(f.name()));
            } else {
                // Keys Sluice did not make are carried as they were produced.
                item.putObject("key").put("format", "bytes as produced");
            }
        } catch (RuntimeException e) {
            item.put("registry", "unavailable: " + e.getMessage());
        }
        return item;
    }

    /** A decoded query parameter of the request, or {@code null}. */
    private static String queryParam(HttpExchange ex, String name) {
        String query = ex.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (java.net.URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                return eq < 0
                        ? ""
                        : java.net.URLDecoder.decode(
                                pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private String metrics() {
        List<StoredPipeline> all = service.list();
        Map<PipelineState, Integer> counts = new EnumMap<>(PipelineState.class);
        for (PipelineState s : PipelineState.values()) {
            counts.put(s, 0);
        }
        all.forEach(p -> counts.merge(p.state(), 1, Integer::sum));
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP sluice_pipelines Pipelines by state.\n");
        sb.append("# TYPE sluice_pipelines gauge\n");
        counts.forEach(
                (s, n) ->
                        sb.append("sluice_pipelines{state=\"")
                                .append(s.name())
                                .append("\"} ")
                                .append(n)
                                .append('\n'));
        sb.append("# HELP sluice_pipeline_running Whether a pipeline is RUNNING (1) or not (0).\n");
        sb.append("# TYPE sluice_pipeline_running gauge\n");
        for (StoredPipeline p : all) {
            sb.append("sluice_pipeline_running{pipeline=\"")
                    .append(p.name())
                    .append("\"} ")
                    .append(p.state() == PipelineState.RUNNING ? 1 : 0)
                    .append('\n');
        }
        sb.append("# HELP sluice_pipeline_restarts Task restarts of a pipeline's current job.\n");
        sb.append("# TYPE sluice_pipeline_restarts gauge\n");
        for (StoredPipeline p : all) {
            sb.append("sluice_pipeline_restarts{pipeline=\"")
                    .append(p.name())
                    .append("\"} ")
                    .append(p.restarts())
                    .append('\n');
        }
        return sb.toString();
    }

    private static void only(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new ApiException(
                    405, "method " + method + " is not allowed here; allowed: " + allowed, null);
        }
    }

    private static String body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new ApiException(413, "the request body is larger than 1 MiB", null);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private void fail(HttpExchange ex, int status, String message, String pointer)
            throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("error", message == null ? "error" : message);
        if (pointer != null) {
            body.put("pointer", pointer);
        }
        send(ex, status, body);
    }

    private void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendText(HttpExchange ex, int status, String text, String type)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

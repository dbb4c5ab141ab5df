package dev.sluice.controller.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pipeline's metrics summary, read from Flink's REST API (the embedded MiniCluster's or a remote
 * cluster's alike): records in, out and dead-lettered per node. Operators are named {@code <node
 * id>: <what>}, which Flink's metric ids carry as {@code <subtask>.<node id>__<what>.<metric>}, so
 * every operator metric maps back to its node. Values lag the job by Flink's metric fetch interval
 * (10 s by default).
 */
public final class FlinkRestMetrics {
    private static final Pattern METRIC =
            Pattern.compile(
                    "^\\d+\\.(?:Source__)?([A-Za-z][A-Za-z0-9_]*?)__.*\\.(numRecordsIn|numRecordsOut|sluiceDeadLetters)$");

    /**
     * Quality-gate rule counters: {@code
     * <subtask>.<node>__quality-gate.qualityGate.rule_0_range_failed}.
     */
    private static final Pattern RULE =
            Pattern.compile(
                    "^\\d+\\.([A-Za-z][A-Za-z0-9_]*?)__.*\\.qualityGate\\.(rule_\\d+_[a-z_]+_failed)$");

    private static final Set<String> WANTED =
            Set.of("numRecordsIn", "numRecordsOut", "sluiceDeadLetters");

    private final String baseUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    public FlinkRestMetrics(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    /**
     * Per node id: {@code recordsIn}, {@code recordsOut}, {@code deadLetters} (the largest in and
     * out of the node's operators, summed over subtasks; dead letters summed over its operators),
     * and for quality gates one {@code rule_<i>_<kind>_failed} count per rule.
     */
    public Map<String, Map<String, Long>> nodeMetrics(String jobId) throws Exception {
        Map<String, Map<String, Long>> byNode = new LinkedHashMap<>();
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            String vertexPath = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText();
            List<String> ids = new ArrayList<>();
            for (JsonNode m : get(vertexPath + "/metrics")) {
                String id = m.path("id").asText();
                if (METRIC.matcher(id).matches() || RULE.matcher(id).matches()) {
                    ids.add(id);
                }
            }
            if (ids.isEmpty()) {
                continue;
            }
            JsonNode values =
                    get(
                            vertexPath
                                    + "/metrics?get="
                                    + URLEncoder.encode(
                                            String.join(",", ids), StandardCharsets.UTF_8));
            Map<String, Map<String, Long>> perOperator = new LinkedHashMap<>();
            for (JsonNode v : values) {
                String id = v.path("id").asText();
                Matcher rule = RULE.matcher(id);
                if (rule.matches()) {
                    byNode.computeIfAbsent(rule.group(1), k -> new LinkedHashMap<>())
                            .merge(
                                    rule.group(2),
                                    (long) Double.parseDouble(v.path("value").asText("0")),
                                    Long::sum);
                    continue;
                }
                Matcher m = METRIC.matcher(id);
                if (!m.matches() || !WANTED.contains(m.group(2))) {
                    continue;
                }
                long value = (long) Double.parseDouble(v.path("value").asText("0"));
                String operator = id.substring(id.indexOf('.') + 1, id.lastIndexOf('.'));
                perOperator
                        .computeIfAbsent(
                                m.group(1) + "\u0000" + operator, k -> new LinkedHashMap<>())
                        .merge(m.group(2), value, Long::sum);
            }
            perOperator.forEach(
                    (key, metrics) -> {
                        String node = key.substring(0, key.indexOf('\u0000'));
                        Map<String, Long> summary =
                                byNode.computeIfAbsent(node, k -> new LinkedHashMap<>());
                        summary.merge(
                                "recordsIn", metrics.getOrDefault("numRecordsIn", 0L), Math::max);
                        summary.merge(
                                "recordsOut", metrics.getOrDefault("numRecordsOut", 0L), Math::max);
                        summary.merge(
                                "deadLetters",
                                metrics.getOrDefault("sluiceDeadLetters", 0L),
                                Long::sum);
                    });
        }
        return byNode;
    }

    /**
     * The job's tasks as Flink runs them: each task's chained operators in order (e.g. {@code
     * ["Source: orders: kafka", "orders: decode", "paid: filter", ...]}) and its parallelism.
     */
    public List<Map<String, Object>> tasks(String jobId) throws Exception {
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("operators", List.of(vertex.path("name").asText().split(" -> ")));
            task.put("parallelism", vertex.path("parallelism").asInt());
            task.put("status", vertex.path("status").asText());
            tasks.add(task);
        }
        return tasks;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Flink REST " + path + " answered " + r.statusCode());
        }
        return json.readTree(r.body());
    }
}

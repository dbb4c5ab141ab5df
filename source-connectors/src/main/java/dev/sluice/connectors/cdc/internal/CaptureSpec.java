package dev.sluice.connectors.cdc.internal;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * Everything the capture operator needs at run time, fixed at plan and provisioning time: which
 * connector, Debezium's properties (with the password: never print them), the tables' routes, the
 * schema registry's URL (to register a table's new schema version when its columns change) and the
 * log position at plan time. {@link #toString()} shows neither properties nor password.
 */
@Internal
public final class CaptureSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final ConnectorKind kind;
    private final Map<String, String> debeziumProperties;
    private final List<TableRoute> routes;
    private final String registryUrl;
    private final LogPosition planPosition;

    /** A capture that cannot register new schema versions (a changed table fails it). */
    public CaptureSpec(
            String name,
            ConnectorKind kind,
            Map<String, String> debeziumProperties,
            List<TableRoute> routes) {
        this(name, kind, debeziumProperties, routes, null, null);
    }

    /**
     * @param name who captures, for thread names and messages (e.g. {@code pipeline/source})
     * @param debeziumProperties the connector's properties, including {@code name} and {@code
     *     topic.prefix}
     * @param registryUrl the schema registry's base URL, or {@code null}
     * @param planPosition where the database's log was when the pipeline was planned, or {@code
     *     null} when unknown
     */
    public CaptureSpec(
            String name,
            ConnectorKind kind,
            Map<String, String> debeziumProperties,
            List<TableRoute> routes,
            String registryUrl,
            LogPosition planPosition) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.debeziumProperties = Map.copyOf(debeziumProperties);
        this.routes = List.copyOf(routes);
        this.registryUrl = registryUrl;
        this.planPosition = planPosition;
        if (this.routes.isEmpty()) {
            throw new IllegalArgumentException("a capture needs at least one table");
        }
    }

    public String name() {
        return name;
    }

    public ConnectorKind kind() {
        return kind;
    }

    public Map<String, String> debeziumProperties() {
        return debeziumProperties;
    }

    public List<TableRoute> routes() {
        return routes;
    }

    /** The schema registry's base URL, or {@code null}. */
    public String registryUrl() {
        return registryUrl;
    }

    /** The log position when the pipeline was planned, or {@code null}. */
    public LogPosition planPosition() {
        return planPosition;
    }

    @Override
    public String toString() {
        return "CaptureSpec{" + name + ", " + kind + ", " + routes + "}";
    }
}

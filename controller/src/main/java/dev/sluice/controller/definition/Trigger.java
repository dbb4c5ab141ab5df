package dev.sluice.controller.definition;

import dev.sluice.controller.validation.PipelineValidationException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An event that starts a run of a batch pipeline, e.g. a new snapshot committed to an Iceberg
 * table. It exists beside {@link Schedule} because a batch move should often follow its input
 * rather than the clock.
 */
public final class Trigger {
    private static final Pattern TABLE = Pattern.compile("[^\\s.]+(\\.[^\\s.]+)+");

    /** What a trigger waits for. */
    public enum Event implements JsonValued {
        /** A new snapshot committed to {@link #table()}. */
        ICEBERG_SNAPSHOT("iceberg-snapshot");

        private final String jsonValue;

        Event(String jsonValue) {
            this.jsonValue = jsonValue;
        }

        @Override
        public String jsonValue() {
            return jsonValue;
        }
    }

    private final Event on;
    private final String table;

    private Trigger(Event on, String table) {
        this.on = on;
        this.table = table;
    }

    /**
     * @param table the Iceberg table watched, {@code db.name}
     * @throws PipelineValidationException at {@code /trigger/table} if it is not a table name
     */
    public static Trigger of(Event on, String table) {
        Objects.requireNonNull(on, "on");
        Objects.requireNonNull(table, "table");
        if (!TABLE.matcher(table).matches()) {
            throw PipelineValidationException.at(
                    "/trigger/table",
                    "expected an Iceberg table name such as db.name, got " + Pointers.quote(table));
        }
        return new Trigger(on, table);
    }

    /** What starts a run. */
    public Event on() {
        return on;
    }

    /** The table watched, {@code db.name}. */
    public String table() {
        return table;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trigger && on == ((Trigger) o).on && table.equals(((Trigger) o).table);
    }

    @Override
    public int hashCode() {
        return Objects.hash(on, table);
    }

    @Override
    public String toString() {
        return "Trigger{on=" + on.jsonValue() + ", table=" + table + "}";
    }
}

package dev.sluice.connectors.cdc.catalog;

import java.util.Objects;

/**
 * Something about the database or the config that makes capture impossible, found before anything
 * runs: the host is unreachable, the password is wrong, a table is missing, the server is not set
 * up for change capture, a privilege is missing. Carries the path of the config key at fault
 * relative to the source's {@code config} (e.g. {@code hostname}, {@code tables/1}, {@code
 * keys/public.events}) so the factory can answer with the JSON pointer of that key.
 */
public final class CaptureProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String configPath;

    public CaptureProblem(String configPath, String message) {
        super(message);
        this.configPath = Objects.requireNonNull(configPath, "configPath");
    }

    public CaptureProblem(String configPath, String message, Throwable cause) {
        super(message, cause);
        this.configPath = Objects.requireNonNull(configPath, "configPath");
    }

    /** The config key at fault, as a JSON pointer relative to the source's {@code config}. */
    public String configPath() {
        return configPath;
    }
}

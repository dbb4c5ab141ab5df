package dev.sluice.controller.planning;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the platform runs one pipeline's job: where Kafka is, where its checkpoints go, what to
 * restore from. Everything here is plain data, so the same job runs on a MiniCluster or a remote
 * cluster.
 */
public final class JobSettings {
    private final String bootstrapServers;
    private final Path checkpointDir;
    private final int deadLetterSchemaId;
    private final String restorePath;

    private JobSettings(Builder b) {
        this.bootstrapServers = Objects.requireNonNull(b.bootstrapServers, "bootstrapServers");
        this.checkpointDir = Objects.requireNonNull(b.checkpointDir, "checkpointDir");
        if (b.deadLetterSchemaId < 0) {
            throw new IllegalArgumentException("deadLetterSchemaId must be set");
        }
        this.deadLetterSchemaId = b.deadLetterSchemaId;
        this.restorePath = b.restorePath;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path checkpointDir() {
        return checkpointDir;
    }

    public int deadLetterSchemaId() {
        return deadLetterSchemaId;
    }

    /** A checkpoint or savepoint to start from, or {@code null} for a fresh start. */
    public String restorePath() {
        return restorePath;
    }

    /** Builds {@link JobSettings}, checking each value. */
    public static final class Builder {
        private String bootstrapServers;
        private Path checkpointDir;
        private int deadLetterSchemaId = -1;
        private String restorePath;

        public Builder bootstrapServers(String v) {
            this.bootstrapServers = Objects.requireNonNull(v, "bootstrapServers");
            return this;
        }

        public Builder checkpointDir(Path v) {
            this.checkpointDir = Objects.requireNonNull(v, "checkpointDir");
            return this;
        }

        public Builder deadLetterSchemaId(int v) {
            this.deadLetterSchemaId = v;
            return this;
        }

        public Builder restorePath(String v) {
            this.restorePath = v;
            return this;
        }

        public JobSettings build() {
            return new JobSettings(this);
        }
    }
}

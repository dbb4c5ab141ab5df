package dev.sluice.controller.planning;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the platform runs one pipeline's job: where Kafka is, where its checkpoints go, what to
 * restore from, which plugin jars travel with it. Everything here is plain data, so the same job
 * runs on a MiniCluster or a remote cluster.
 */
public final class JobSettings {
    private final String bootstrapServers;
    private final Path checkpointDir;
    private final int deadLetterSchemaId;
    private final String restorePath;
    private final List<Path> pluginJars;
    private final String jobKey;

    private JobSettings(Builder b) {
        this.jobKey = Objects.requireNonNull(b.jobKey, "jobKey");
        this.bootstrapServers = Objects.requireNonNull(b.bootstrapServers, "bootstrapServers");
        this.checkpointDir = Objects.requireNonNull(b.checkpointDir, "checkpointDir");
        if (b.deadLetterSchemaId < 0) {
            throw new IllegalArgumentException("deadLetterSchemaId must be set");
        }
        this.deadLetterSchemaId = b.deadLetterSchemaId;
        this.restorePath = b.restorePath;
        this.pluginJars = List.copyOf(b.pluginJars);
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

    /**
     * The plugin jars the job ships (they hold processor classes the cluster does not have); empty
     * without plugins.
     */
    public List<Path> pluginJars() {
        return pluginJars;
    }

    /**
     * Which of the pipeline's jobs this is: empty for the single job of a fused pipeline, a unit
     * key of {@link JobLayout} otherwise. It keeps job names and the dead-letter writer's
     * transactional ids apart between the jobs of one pipeline.
     */
    public String jobKey() {
        return jobKey;
    }

    /** Builds {@link JobSettings}, checking each value. */
    public static final class Builder {
        private String bootstrapServers;
        private Path checkpointDir;
        private int deadLetterSchemaId = -1;
        private String restorePath;
        private final List<Path> pluginJars = new ArrayList<>();
        private String jobKey = "";

        public Builder jobKey(String v) {
            this.jobKey = Objects.requireNonNull(v, "jobKey");
            return this;
        }

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

        /** Jars to ship with the job; each must be a regular file. */
        public Builder pluginJars(List<Path> jars) {
            for (Path jar : Objects.requireNonNull(jars, "pluginJars")) {
                Objects.requireNonNull(jar, "plugin jar");
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalArgumentException(
                            "plugin jar " + jar + " is not a file; jobs cannot ship it");
                }
                this.pluginJars.add(jar);
            }
            return this;
        }

        public JobSettings build() {
            return new JobSettings(this);
        }
    }
}

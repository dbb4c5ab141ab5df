package dev.sluice.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.schemas.AvroSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's state: schemas by global id, subjects with their versions, and compatibility
 * levels; optionally persisted in one JSON file under a storage directory.
 *
 * <p>Exists apart from the HTTP layer so the controller can register and check schemas in-process,
 * with the same ids the REST API hands out. Semantics follow Confluent Schema Registry: ids are
 * global and start at 1, an equal schema ({@link Schema#equals}) gets the same id under every
 * subject, re-registering a live schema under its subject returns the existing version, deletes are
 * soft unless permanent (ids stay resolvable, as records on topics still reference them).
 *
 * <p>Every change is written to {@code schema-registry.json} (temp file, fsync, atomic rename)
 * before the call returns; a failed write rolls the in-memory state back to the file. A lock file
 * keeps two stores from sharing a directory. All methods are synchronized. Errors are {@link
 * SchemaRegistryException}s carrying the HTTP status and Confluent error code.
 */
public final class SchemaStore implements AutoCloseable {

    /** Name of the state file inside the storage directory. */
    public static final String STATE_FILE = "schema-registry.json";

    private static final String LOCK_FILE = "schema-registry.lock";
    private static final int FORMAT_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(SchemaStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One version of a subject. */
    private static final class VersionEntry {
        final int id;
        boolean deleted;

        VersionEntry(int id, boolean deleted) {
            this.id = id;
            this.deleted = deleted;
        }
    }

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<String, TreeMap<Integer, VersionEntry>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new TreeMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.DEFAULT;
    private int nextId = 1;
    private boolean closed;

    private SchemaStore(Path file, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** A store that keeps its state in memory only (tests, throw-away registries). */
    public static SchemaStore inMemory() {
        return new SchemaStore(null, null, null);
    }

    /**
     * Opens the store persisted under {@code storageDir}, creating the directory and an empty state
     * when absent.
     *
     * @throws IllegalStateException if another store holds the directory or its state file is
     *     corrupt
     * @throws UncheckedIOException if the directory cannot be read or written
     */
    public static SchemaStore open(Path storageDir) {
        Objects.requireNonNull(storageDir, "storageDir");
        FileChannel channel = null;
        try {
            Files.createDirectories(storageDir);
            channel =
                    FileChannel.open(
                            storageDir.resolve(LOCK_FILE),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException(
                        "schema registry storage directory "
                                + storageDir
                                + " is in use by another registry (its lock file "
                                + LOCK_FILE
                                + " is held)");
            }
            SchemaStore store = new SchemaStore(storageDir.resolve(STATE_FILE), channel, lock);
            store.load();
            return store;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException(
                    "cannot open schema registry storage directory " + storageDir, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The state file, or empty for an in-memory store. */
    public Optional<Path> stateFile() {
        return Optional.ofNullable(file);
    }

    // ------------------------------------------------------------------ subjects and versions

    /** Subject names in lexicographic order; with {@code includeDeleted} also soft-deleted ones. */
    public synchronized List<String> subjects(boolean includeDeleted) {
        List<String> names = new ArrayList<>();
        subjects.forEach(
                (name, versions) -> {
                    if (includeDeleted || hasLive(versions)) {
                        names.add(name);
                    }
                });
        return names;
    }

    /**
     * Registers {@code schema} under {@code subject}, or returns the existing registration when an
     * equal schema is a live version of the subject. A schema new to the subject must pass the
     * subject's compatibility level; it reuses the global id of an equal schema registered under
     * any subject.
     *
     * @throws SchemaRegistryException 409 ({@link SchemaRegistryException#INCOMPATIBLE_SCHEMA})
     *     when incompatible, with the broken rules in the message
     */
    public synchronized RegisteredSchema register(String subject, Schema schema) {
        checkSubject(subject);
        Objects.requireNonNull(schema, "schema");
        // Keep a private copy: Schema is mutable (addProp) and is a key of idsBySchema.
        Schema owned = AvroSchemas.parse(schema.toString());
        TreeMap<Integer, VersionEntry> versions = subjects.get(subject);
        if (versions != null) {
            Optional<RegisteredSchema> existing = findLive(subject, versions, owned);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        CompatibilityLevel level = effectiveCompatibility(subject);
        CompatibilityResult result =
                CompatibilityChecker.check(level, owned, liveSchemas(versions));
        if (!result.compatible()) {
            throw new SchemaRegistryException(
                    409,
                    SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \""
                            + subject
                            + "\", details: "
                            + result.messages());
        }
        Integer knownId = idsBySchema.get(owned);
        int id = knownId != null ? knownId : nextId;
        int version = versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
        mutate(
                () -> {
                    if (knownId == null) {
                        schemasById.put(id, owned);
                        idsBySchema.put(owned, id);
                        nextId = id + 1;
                    }
                    subjects.computeIfAbsent(subject, s -> new TreeMap<>())
                            .put(version, new VersionEntry(id, false));
                });
        LOG.info("Registered schema id {} as version {} of subject '{}'", id, version, subject);
        return new RegisteredSchema(subject, id, version, schemasById.get(id));
    }

    /**
     * The live registration of {@code schema} under {@code subject}.
     *
     * @throws SchemaRegistryException 40401 for an unknown subject, 40403 when the schema is not
     *     one of its live versions
     */
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        TreeMap<Integer, VersionEntry> versions = liveSubject(subject);
        return findLive(subject, versions, schema)
                .orElseThrow(() -> SchemaRegistryException.schemaNotUnderSubject(subject));
    }

    /**
     * Live version numbers of {@code subject}, ascending.
     *
     * @throws SchemaRegistryException 40401 for an unknown subject
     */
    public synchronized List<Integer> versions(String subject) {
        List<Integer> live = new ArrayList<>();
        liveSubject(subject)
                .forEach(
                        (version, entry) -> {
                            if (!entry.deleted) {
                                live.add(version);
                            }
                        });
        return live;
    }

    /**
     * One live version of {@code subject}.
     *
     * @throws SchemaRegistryException 40401 for an unknown subject, 40402 for an unknown version
     */
    public synchronized RegisteredSchema version(String subject, int version) {
        VersionEntry entry = liveSubject(subject).get(version);
        if (entry == null || entry.deleted) {
            throw SchemaRegistryException.versionNotFound(subject, version);
        }
        return new RegisteredSchema(subject, entry.id, version, schemasById.get(entry.id));
    }

    /**
     * The newest live version of {@code subject}.
     *
     * @throws SchemaRegistryException 40401 for an unknown subject
     */
    public synchronized RegisteredSchema latest(String subject) {
        List<Integer> live = versions(subject);
        return version(subject, live.get(live.size() - 1));
    }

    /** The newest live version of {@code subject}, or empty when it has none. */
    public synchronized Optional<RegisteredSchema> findLatest(String subject) {
        TreeMap<Integer, VersionEntry> versions = subjects.get(subject);
        if (versions == null || !hasLive(versions)) {
            return Optional.empty();
        }
        return Optional.of(latest(subject));
    }

    /**
     * Deletes a subject: soft (its versions leave the listings, ids stay resolvable) or, after a
     * soft delete, permanent (the versions and the subject's compatibility level are gone).
     *
     * @return the version numbers deleted
     * @throws SchemaRegistryException 40401 unknown subject, 40404 already soft-deleted, 40405
     *     permanent delete of a subject not soft-deleted first
     */
    public synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        TreeMap<Integer, VersionEntry> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        boolean live = hasLive(versions);
        if (permanent) {
            if (live) {
                throw new SchemaRegistryException(
                        404,
                        SchemaRegistryException.SUBJECT_NOT_SOFT_DELETED,
                        "Subject '"
                                + subject
                                + "' was not deleted first before being permanently deleted");
            }
            List<Integer> deleted = new ArrayList<>(versions.keySet());
            mutate(
                    () -> {
                        subjects.remove(subject);
                        subjectLevels.remove(subject);
                    });
            return deleted;
        }
        if (!live) {
            throw new SchemaRegistryException(
                    404,
                    SchemaRegistryException.SUBJECT_SOFT_DELETED,
                    "Subject '"
                            + subject
                            + "' was soft deleted. Set permanent=true to delete permanently");
        }
        List<Integer> deleted = versions(subject);
        mutate(() -> versions.values().forEach(entry -> entry.deleted = true));
        return deleted;
    }

    /**
     * Deletes one version of a subject, soft or (after a soft delete) permanently.
     *
     * @throws SchemaRegistryException 40401 unknown subject, 40402 unknown version, 40406 version
     *     already soft-deleted, 40407 permanent delete of a version not soft-deleted first
     */
    public synchronized int deleteVersion(String subject, int version, boolean permanent) {
        TreeMap<Integer, VersionEntry> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        VersionEntry entry = versions.get(version);
        if (entry == null) {
            throw SchemaRegistryException.versionNotFound(subject, version);
        }
        if (permanent) {
            if (!entry.deleted) {
                throw new SchemaRegistryException(
                        404,
                        SchemaRegistryException.VERSION_NOT_SOFT_DELETED,
                        "Subject '"
                                + subject
                                + "' Version "
                                + version
                                + " was not deleted first before being permanently deleted");
            }
            mutate(
                    () -> {
                        versions.remove(version);
                        if (versions.isEmpty()) {
                            subjects.remove(subject);
                        }
                    });
            return version;
        }
        if (entry.deleted) {
            throw new SchemaRegistryException(
                    404,
                    SchemaRegistryException.VERSION_SOFT_DELETED,
                    "Subject '"
                            + subject
                            + "' Version "
                            + version
                            + " was soft deleted. Set permanent=true to delete permanently");
        }
        mutate(() -> entry.deleted = true);
        return version;
    }

    // ------------------------------------------------------------------ schemas by id

    /**
     * The schema with global id {@code id} (also when every version using it was deleted).
     *
     * @throws SchemaRegistryException 40403 for an unknown id
     */
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw SchemaRegistryException.schemaNotFound(id);
        }
        return schema;
    }

    /**
     * The live subject versions that use schema id {@code id}, by subject then version.
     *
     * @throws SchemaRegistryException 40403 for an unknown id
     */
    public synchronized List<RegisteredSchema> usagesOf(int id) {
        Schema schema = schemaById(id);
        List<RegisteredSchema> usages = new ArrayList<>();
        subjects.forEach(
                (subject, versions) ->
                        versions.forEach(
                                (version, entry) -> {
                                    if (entry.id == id && !entry.deleted) {
                                        usages.add(
                                                new RegisteredSchema(subject, id, version, schema));
                                    }
                                }));
        return usages;
    }

    // ------------------------------------------------------------------ compatibility

    /** The registry-wide compatibility level (initially {@link CompatibilityLevel#DEFAULT}). */
    public synchronized CompatibilityLevel globalCompatibility() {
        return globalLevel;
    }

    /** Sets the registry-wide compatibility level. */
    public synchronized void setGlobalCompatibility(CompatibilityLevel level) {
        Objects.requireNonNull(level, "level");
        mutate(() -> globalLevel = level);
    }

    /** The subject-level compatibility level, empty when the subject uses the global one. */
    public synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** The level registrations under {@code subject} are checked with. */
    public synchronized CompatibilityLevel effectiveCompatibility(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    /** Sets the compatibility level of one subject (the subject need not exist yet). */
    public synchronized void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        checkSubject(subject);
        Objects.requireNonNull(level, "level");
        mutate(() -> subjectLevels.put(subject, level));
    }

    /**
     * Removes the subject-level compatibility level, so the global one applies again.
     *
     * @return the level removed
     * @throws SchemaRegistryException 40408 when the subject had none
     */
    public synchronized CompatibilityLevel deleteSubjectCompatibility(String subject) {
        CompatibilityLevel previous = subjectLevels.get(subject);
        if (previous == null) {
            throw subjectCompatibilityNotConfigured(subject);
        }
        mutate(() -> subjectLevels.remove(subject));
        return previous;
    }

    /**
     * Tests whether {@code schema} could be registered under {@code subject}: with {@code version}
     * null against the latest version (all versions for transitive levels); otherwise against that
     * one version, in the direction(s) of the subject's level. A subject without versions accepts
     * anything when testing against the latest.
     *
     * @throws SchemaRegistryException 40401 / 40402 when a specific version does not exist
     */
    public synchronized CompatibilityResult testCompatibility(
            String subject, Integer version, Schema schema) {
        Objects.requireNonNull(schema, "schema");
        CompatibilityLevel level = effectiveCompatibility(subject);
        if (version == null) {
            return CompatibilityChecker.check(level, schema, liveSchemas(subjects.get(subject)));
        }
        RegisteredSchema against = version(subject, version);
        List<String> messages = CompatibilityChecker.checkPair(level, schema, against.schema());
        if (messages.isEmpty()) {
            return CompatibilityResult.compatibleResult();
        }
        List<String> all = new ArrayList<>(messages);
        all.add("{oldSchemaVersion: " + version + "}");
        all.add("{compatibility: '" + level.name() + "'}");
        return CompatibilityResult.incompatible(all);
    }

    static SchemaRegistryException subjectCompatibilityNotConfigured(String subject) {
        return new SchemaRegistryException(
                404,
                SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    // ------------------------------------------------------------------ lifecycle

    /** Releases the storage directory's lock; the state is already on disk. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException e) {
            LOG.warn("Could not release the lock of {}", file, e);
        }
        closeQuietly(lockChannel);
    }

    // ------------------------------------------------------------------ internals

    private static void checkSubject(String subject) {
        if (subject == null || subject.isEmpty()) {
            throw new SchemaRegistryException(
                    422, SchemaRegistryException.INVALID_SUBJECT, "The subject name is empty");
        }
    }

    private static boolean hasLive(Map<Integer, VersionEntry> versions) {
        for (VersionEntry entry : versions.values()) {
            if (!entry.deleted) {
                return true;
            }
        }
        return false;
    }

    private TreeMap<Integer, VersionEntry> liveSubject(String subject) {
        TreeMap<Integer, VersionEntry> versions = subjects.get(subject);
        if (versions == null || !hasLive(versions)) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        return versions;
    }

    private Optional<RegisteredSchema> findLive(
            String subject, TreeMap<Integer, VersionEntry> versions, Schema schema) {
        Integer id = idsBySchema.get(schema);
        if (id == null) {
            return Optional.empty();
        }
        for (Map.Entry<Integer, VersionEntry> version : versions.entrySet()) {
            if (version.getValue().id == id && !version.getValue().deleted) {
                return Optional.of(
                        new RegisteredSchema(subject, id, version.getKey(), schemasById.get(id)));
            }
        }
        return Optional.empty();
    }

    private NavigableMap<Integer, Schema> liveSchemas(TreeMap<Integer, VersionEntry> versions) {
        NavigableMap<Integer, Schema> live = new TreeMap<>();
        if (versions != null) {
            versions.forEach(
                    (version, entry) -> {
                        if (!entry.deleted) {
                            live.put(version, schemasById.get(entry.id));
                        }
                    });
        }
        return live;
    }

    /** Applies a change and persists it; restores the persisted state if writing fails. */
    private void mutate(Runnable change) {
        if (closed) {
            throw new IllegalStateException("schema store " + file + " is closed");
        }
        change.run();
        if (file == null) {
            return;
        }
        try {
            persist();
        } catch (IOException | RuntimeException e) {
            try {
                load();
            } catch (RuntimeException reloadFailure) {
                e.addSuppressed(reloadFailure);
            }
            throw new SchemaRegistryException(
                    500,
                    SchemaRegistryException.STORE_ERROR,
                    "Error while storing the registry state in " + file + ": " + e.getMessage(),
                    e);
        }
    }

    private void persist() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("nextId", nextId);
        root.put("compatibility", globalLevel.name());
        ArrayNode schemas = root.putArray("schemas");
        new TreeMap<>(schemasById)
                .forEach(
                        (id, schema) ->
                                schemas.addObject().put("id", id).put("schema", schema.toString()));
        ArrayNode subjectArray = root.putArray("subjects");
        subjects.forEach(
                (subject, versions) -> {
                    ObjectNode node = subjectArray.addObject().put("subject", subject);
                    ArrayNode versionArray = node.putArray("versions");
                    versions.forEach(
                            (version, entry) ->
                                    versionArray
                                            .addObject()
                                            .put("version", version)
                                            .put("id", entry.id)
                                            .put("deleted", entry.deleted));
                });
        ObjectNode levels = root.putObject("subjectCompatibility");
        subjectLevels.forEach((subject, level) -> levels.put(subject, level.name()));

        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        Path temp = file.resolveSibling(STATE_FILE + ".tmp");
        try (FileChannel channel =
                FileChannel.open(
                        temp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(
                    temp,
                    file,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Replaces the in-memory state with the file's (empty state when there is no file yet). */
    private void load() {
        schemasById.clear();
        idsBySchema.clear();
        subjects.clear();
        subjectLevels.clear();
        globalLevel = CompatibilityLevel.DEFAULT;
        nextId = 1;
        if (!Files.exists(file)) {
            return;
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "schema registry state file " + file + " is not readable JSON: " + e, e);
        }
        try {
            int format = root.path("formatVersion").asInt(-1);
            if (format != FORMAT_VERSION) {
                throw new IllegalStateException(
                        "unsupported formatVersion "
                                + format
                                + " (expected "
                                + FORMAT_VERSION
                                + ")");
            }
            globalLevel = CompatibilityLevel.parse(root.path("compatibility").asText(null));
            for (JsonNode node : root.path("schemas")) {
                int id = node.path("id").asInt();
                Schema schema = AvroSchemas.parse(node.path("schema").asText(null));
                schemasById.put(id, schema);
                idsBySchema.putIfAbsent(schema, id);
            }
            nextId = Math.max(root.path("nextId").asInt(1), maxId() + 1);
            for (JsonNode node : root.path("subjects")) {
                String subject = node.path("subject").asText();
                TreeMap<Integer, VersionEntry> versions = new TreeMap<>();
                for (JsonNode version : node.path("versions")) {
                    int id = version.path("id").asInt();
                    if (!schemasById.containsKey(id)) {
                        throw new IllegalStateException(
                                "subject '" + subject + "' refers to unknown schema id " + id);
                    }
                    versions.put(
                            version.path("version").asInt(),
                            new VersionEntry(id, version.path("deleted").asBoolean(false)));
                }
                if (!versions.isEmpty()) {
                    subjects.put(subject, versions);
                }
            }
            root.path("subjectCompatibility")
                    .fields()
                    .forEachRemaining(
                            e ->
                                    subjectLevels.put(
                                            e.getKey(),
                                            CompatibilityLevel.parse(e.getValue().asText())));
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "schema registry state file " + file + " is corrupt: " + e.getMessage(), e);
        }
        LOG.info(
                "Loaded {} schemas and {} subjects from {}",
                schemasById.size(),
                subjects.size(),
                file);
    }

    private int maxId() {
        int max = 0;
        for (int id : schemasById.keySet()) {
            max = Math.max(max, id);
        }
        return max;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}

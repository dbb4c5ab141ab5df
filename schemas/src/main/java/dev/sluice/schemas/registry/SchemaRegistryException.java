package dev.sluice.schemas.registry;

/**
 * A schema registry refused a request or could not be reached.
 *
 * <p>One exception type for both sides of the registry: {@link SchemaStore} throws it with the HTTP
 * status and Confluent error code the REST layer answers with (so the mapping to HTTP lives in one
 * place), and {@link HttpSchemaRegistryClient} throws it with what the remote registry answered.
 * Unchecked so that lookups fit {@code Function<Integer, Schema>}.
 */
public class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@link #status()} when no HTTP answer was received (connection refused, timeout, ...). */
    public static final int NO_RESPONSE = 0;

    /** Confluent error code: the subject does not exist (or has only soft-deleted versions). */
    public static final int SUBJECT_NOT_FOUND = 40401;

    /** Confluent error code: the subject has no such version. */
    public static final int VERSION_NOT_FOUND = 40402;

    /** Confluent error code: no such schema (by id, or not registered under the subject). */
    public static final int SCHEMA_NOT_FOUND = 40403;

    /** Confluent error code: the subject was soft-deleted already. */
    public static final int SUBJECT_SOFT_DELETED = 40404;

    /** Confluent error code: a permanent delete of a subject that was not soft-deleted first. */
    public static final int SUBJECT_NOT_SOFT_DELETED = 40405;

    /** Confluent error code: the version was soft-deleted already. */
    public static final int VERSION_SOFT_DELETED = 40406;

    /** Confluent error code: a permanent delete of a version that was not soft-deleted first. */
    public static final int VERSION_NOT_SOFT_DELETED = 40407;

    /** Confluent error code: the subject has no subject-level compatibility level. */
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;

    /** Confluent error code (and HTTP status): the schema breaks the subject's compatibility. */
    public static final int INCOMPATIBLE_SCHEMA = 409;

    /** Confluent error code: the schema is not valid Avro (or not a supported schema type). */
    public static final int INVALID_SCHEMA = 42201;

    /** Confluent error code: the version is neither a positive integer nor "latest". */
    public static final int INVALID_VERSION = 42202;

    /** Confluent error code: unknown compatibility level. */
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

    /** Confluent error code: the subject name is not valid (empty). */
    public static final int INVALID_SUBJECT = 42208;

    /** Confluent error code: the registry failed to store the change. */
    public static final int STORE_ERROR = 50001;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        this(status, errorCode, message, null);
    }

    public SchemaRegistryException(int status, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** HTTP status of the answer, or {@link #NO_RESPONSE} when the registry did not answer. */
    public int status() {
        return status;
    }

    /** Confluent error code ({@code error_code} of the answer), e.g. {@link #SUBJECT_NOT_FOUND}. */
    public int errorCode() {
        return errorCode;
    }

    /** True for HTTP 404 answers (unknown subject, version or schema). */
    public boolean isNotFound() {
        return status == 404;
    }

    static SchemaRegistryException subjectNotFound(String subject) {
        return new SchemaRegistryException(
                404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    static SchemaRegistryException versionNotFound(String subject, int version) {
        return new SchemaRegistryException(
                404,
                VERSION_NOT_FOUND,
                "Version " + version + " not found for subject '" + subject + "'.");
    }

    static SchemaRegistryException schemaNotFound(int id) {
        return new SchemaRegistryException(404, SCHEMA_NOT_FOUND, "Schema " + id + " not found");
    }

    static SchemaRegistryException schemaNotUnderSubject(String subject) {
        return new SchemaRegistryException(
                404, SCHEMA_NOT_FOUND, "Schema not found under subject '" + subject + "'.");
    }

    static SchemaRegistryException invalidSchema(String message) {
        return new SchemaRegistryException(422, INVALID_SCHEMA, message);
    }

    static SchemaRegistryException invalidVersion(String version) {
        return new SchemaRegistryException(
                422,
                INVALID_VERSION,
                "The specified version '"
                        + version
                        + "' is not a valid version id. Allowed values are between [1, "
                        + Integer.MAX_VALUE
                        + "] and the string \"latest\"");
    }

    static SchemaRegistryException invalidCompatibilityLevel(String level) {
        return new SchemaRegistryException(
                422,
                INVALID_COMPATIBILITY_LEVEL,
                "Invalid compatibility level '"
                        + level
                        + "'. Valid values are: "
                        + CompatibilityLevel.allowedValues());
    }

    static SchemaRegistryException badRequest(String message) {
        return new SchemaRegistryException(400, 400, message);
    }
}

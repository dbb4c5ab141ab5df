package dev.sluice.controller.cli;

import java.util.List;

/**
 * Ends a CLI command early with the lines to print on standard error and the exit code.
 *
 * <p>It exists so that deep helpers (argument parsing, file reading, the HTTP client) can stop a
 * command without each caller checking return values: {@link SluiceCli} catches it in one place,
 * prints {@link #lines()} to standard error and returns {@link #exitCode()}. Exit code 2 means the
 * command line was wrong (usage); 1 means the command was well formed but failed (the server said
 * no, the controller was unreachable, a file could not be read).
 */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Exit code of a command that was well formed but failed. */
    static final int FAILURE = 1;

    /** Exit code of a command line that could not be understood. */
    static final int USAGE = 2;

    private final int exitCode;
    private final List<String> lines;

    private CliException(int exitCode, List<String> lines) {
        super(String.join("\n", lines));
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
    }

    /** A wrong command line: prints {@code error: <message>} and a hint to the help. */
    static CliException usage(String message) {
        return new CliException(
                USAGE, List.of("error: " + message, "Run './sluice help' for usage."));
    }

    /** A failed command: prints {@code error: <message>}. */
    static CliException failure(String message) {
        return new CliException(FAILURE, List.of("error: " + message));
    }

    /** A failed command with further indented detail lines (for example the JSON pointer). */
    static CliException failure(List<String> lines) {
        return new CliException(FAILURE, lines);
    }

    int exitCode() {
        return exitCode;
    }

    List<String> lines() {
        return lines;
    }
}

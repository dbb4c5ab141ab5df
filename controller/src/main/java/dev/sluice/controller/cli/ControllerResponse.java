package dev.sluice.controller.cli;

/**
 * One answer of the controller: the HTTP status and the body as text.
 *
 * <p>The body is kept as text (not parsed) so that {@code -o json} and {@code lineage} can print
 * exactly what the server sent; commands that render it parse it themselves.
 */
final class ControllerResponse {
    private final int status;
    private final String body;

    ControllerResponse(int status, String body) {
        this.status = status;
        this.body = body == null ? "" : body;
    }

    int status() {
        return status;
    }

    String body() {
        return body;
    }

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}

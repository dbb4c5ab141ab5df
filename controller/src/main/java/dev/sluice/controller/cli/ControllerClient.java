package dev.sluice.controller.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The CLI's only way to talk to the controller: one HTTP request, one {@link ControllerResponse}.
 *
 * <p>It exists to keep transport concerns out of the commands: it turns a refused connection into
 * the one message users need ("is './sluice up' running?"), and a slow controller into a timeout
 * naming the address, so that every command fails the same way. It uses the JDK's HTTP client only,
 * so the CLI starts without loading Flink or Kafka.
 */
final class ControllerClient {
    /** How long to wait for the TCP connection to the controller. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * How long to wait for an answer: long enough for a pause, which stops a job with a savepoint
     * before it returns.
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final String baseUrl;
    private final HttpClient http;

    private ControllerClient(String baseUrl) {
        this.baseUrl = baseUrl;
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(CONNECT_TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    /**
     * A client of the controller at {@code server}, e.g. {@code http://127.0.0.1:8080}; a missing
     * scheme means {@code http://}, a trailing slash is dropped.
     */
    static ControllerClient of(String server) throws CliException {
        String url = server.trim();
        if (!url.contains("://")) {
            url = "http://" + url;
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw CliException.usage(
                        "--server must be an http:// or https:// URL with a host, got \""
                                + server
                                + "\"");
            }
        } catch (URISyntaxException e) {
            throw CliException.usage(
                    "--server must be an http:// or https:// URL, got \"" + server + "\"");
        }
        return new ControllerClient(url);
    }

    /** The controller's address as the user gave it (normalised), for messages. */
    String baseUrl() {
        return baseUrl;
    }

    /**
     * Sends {@code method pathAndQuery} with an optional JSON body ({@code null} for none).
     *
     * @throws CliException when the controller cannot be reached or does not answer in time
     */
    ControllerResponse send(String method, String pathAndQuery, String jsonBody)
            throws CliException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                        .timeout(REQUEST_TIMEOUT)
                        .header("Accept", "application/json");
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(
                            method,
                            HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ControllerResponse(response.statusCode(), response.body());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable();
        } catch (HttpTimeoutException e) {
            throw CliException.failure(
                    "the Sluice controller at "
                            + baseUrl
                            + " did not answer "
                            + method
                            + " "
                            + pathAndQuery
                            + " within "
                            + REQUEST_TIMEOUT.toSeconds()
                            + "s");
        } catch (IOException e) {
            if (isConnectFailure(e)) {
                throw unreachable();
            }
            throw CliException.failure(
                    method + " " + baseUrl + pathAndQuery + " failed: " + describe(e));
        } catch (UnresolvedAddressException e) {
            throw unreachable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failure("interrupted while waiting for the Sluice controller");
        }
    }

    private CliException unreachable() {
        return CliException.failure(
                "cannot reach the Sluice controller at "
                        + baseUrl
                        + " (is './sluice up' running?)");
    }

    private static boolean isConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}

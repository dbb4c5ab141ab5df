package dev.sluice.controller.lineage;

import java.util.Optional;

/**
 * Thrown by {@link LineageGraph#impact} when the topic (or dataset) or its field is not in the
 * lineage graph. It is an {@link IllegalArgumentException} whose message names what was asked for
 * and lists what is known, so an API can hand it to the user as it is (a 404: the thing asked about
 * does not exist in the graph).
 */
public final class UnknownLineageSourceException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String field;

    UnknownLineageSourceException(String message, String source, String field) {
        super(message);
        this.source = source;
        this.field = field;
    }

    /** The topic or dataset id asked about. */
    public String source() {
        return source;
    }

    /** The unknown field; empty when the source itself is unknown. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}

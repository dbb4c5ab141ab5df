package dev.sluice.controller.definition;

/**
 * Which of the three lists of pipeline JSON a node is declared in. The kind decides whether the
 * node has {@code inputs}, which factory SPI builds it, and where its JSON pointer starts.
 */
public enum NodeKind {
    /** Declared in {@code sources}: reads an external system, has no inputs. */
    SOURCE("sources", "source"),
    /** Declared in {@code processors}: transforms the records of its inputs. */
    PROCESSOR("processors", "processor"),
    /** Declared in {@code sinks}: writes its inputs to an external system; nothing reads it. */
    SINK("sinks", "sink");

    private final String listKey;
    private final String label;

    NodeKind(String listKey, String label) {
        this.listKey = listKey;
        this.label = label;
    }

    /** The top-level key of the list holding nodes of this kind, e.g. {@code processors}. */
    public String listKey() {
        return listKey;
    }

    /** The pointer of that list, e.g. {@code /processors}. */
    public String listPointer() {
        return "/" + listKey;
    }

    /** The singular word used in messages, e.g. {@code processor}. */
    public String label() {
        return label;
    }

    /** Whether nodes of this kind declare {@code inputs} (processors and sinks do). */
    public boolean hasInputs() {
        return this != SOURCE;
    }
}

package dev.sluice.processors.gate;

/**
 * A record failed a {@code quality-gate} rule whose action is {@code dead-letter}. Its class name
 * is the {@code error_class} of the dead letter, so consumers of the dead-letter topic can tell
 * data-quality rejects apart from processing errors; the message names the rule, the field and the
 * value.
 *
 * <p>No stack trace is captured: a violation is an expected outcome about the data, not a bug, and
 * a bad batch may produce many of them.
 */
public final class QualityRuleViolation extends Exception {
    private static final long serialVersionUID = 1L;

    private final int ruleIndex;
    private final String rule;

    QualityRuleViolation(int ruleIndex, String rule, String message) {
        super(message, null, false, false);
        this.ruleIndex = ruleIndex;
        this.rule = rule;
    }

    /** The index of the failed rule in the processor's {@code rules}, from 0. */
    public int ruleIndex() {
        return ruleIndex;
    }

    /** The kind of the failed rule, e.g. {@code range}. */
    public String rule() {
        return rule;
    }
}

package dev.sluice.processors.expression;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * The expression's text with its line starts, to cut out the part of the text a parser position
 * covers. Error messages quote what the user wrote rather than Calcite's re-rendering of it.
 */
final class SourceText {

    private final String text;
    private final int[] lineStarts;

    SourceText(String text) {
        this.text = text;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n'
                    || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                starts.add(i + 1);
            }
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    String text() {
        return text;
    }

    /** The 0-based offset of a 1-based line and column, clamped to the text. */
    int offset(int line, int column) {
        if (line < 1 || column < 1) {
            return 0;
        }
        int start = line <= lineStarts.length ? lineStarts[line - 1] : text.length();
        return Math.min(text.length(), start + column - 1);
    }

    /** The text a position covers (end column inclusive), trimmed; the whole text if unknown. */
    String slice(SqlParserPos pos) {
        if (pos == null || pos.getLineNum() < 1) {
            return text.trim();
        }
        int from = offset(pos.getLineNum(), pos.getColumnNum());
        int to = offset(pos.getEndLineNum(), pos.getEndColumnNum()) + 1;
        if (to <= from || to > text.length()) {
            return text.trim();
        }
        return text.substring(from, balanced(from, to)).trim();
    }

    /**
     * Extends {@code [from, to)} past the closing parentheses it lacks: Calcite's positions of some
     * calls (e.g. {@code x IN (SELECT ...)}) stop before the final parenthesis.
     */
    private int balanced(int from, int to) {
        int depth = 0;
        char quote = 0;
        int i = from;
        while (i < text.length() && (i < to || depth > 0)) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            i++;
        }
        return i;
    }
}

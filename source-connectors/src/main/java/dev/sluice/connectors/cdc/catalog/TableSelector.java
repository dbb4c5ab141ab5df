package dev.sluice.connectors.cdc.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Resolves the {@code tables} config (names and patterns) against the tables a database has.
 *
 * <p>Each entry is a regular expression matched against the whole qualified name ({@code
 * schema.table} for PostgreSQL, {@code database.table} for MySQL/MariaDB), case-insensitively, as
 * in Debezium's {@code table.include.list}; so a plain name is also a pattern that matches just
 * that table. An entry without a dot is looked up in the default schema ({@code public}) or
 * database. Every entry must match at least one table: a typo is an error, not an empty capture.
 */
public final class TableSelector {

    private TableSelector() {}

    /**
     * The tables selected by {@code entries}, in the order of the entries (tables of one entry
     * sorted by name), each once, mapped to the index of the first entry that selected it.
     *
     * @param available qualified names of the tables that exist
     * @param defaultSchema prefix for entries without a dot
     * @throws CaptureProblem pointing at {@code tables/<i>} for an invalid or unmatched entry
     */
    public static Map<String, Integer> select(
            List<String> entries, List<String> available, String defaultSchema) {
        if (entries.isEmpty()) {
            throw new CaptureProblem(
                    "tables", "tables must name at least one table (schema.table or a pattern)");
        }
        Map<String, Integer> selected = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            if (entry.isEmpty()) {
                throw new CaptureProblem("tables/" + i, "tables/" + i + " must not be empty");
            }
            String regex =
                    entry.contains(".") ? entry : Pattern.quote(defaultSchema) + "\\." + entry;
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException e) {
                throw new CaptureProblem(
                        "tables/" + i,
                        "tables/"
                                + i
                                + ": '"
                                + entry
                                + "' is not a valid pattern: "
                                + e.getDescription());
            }
            List<String> matches = new ArrayList<>();
            for (String table : available) {
                if (pattern.matcher(table).matches()) {
                    matches.add(table);
                }
            }
            if (matches.isEmpty()) {
                throw new CaptureProblem(
                        "tables/" + i,
                        "no table matches '"
                                + entry
                                + "'"
                                + (entry.contains(".")
                                        ? ""
                                        : " (looked up as " + defaultSchema + "." + entry + ")")
                                + "; tables there: "
                                + describe(available));
            }
            matches.sort(String::compareTo);
            for (String m : matches) {
                selected.putIfAbsent(m, i);
            }
        }
        return selected;
    }

    private static String describe(List<String> available) {
        if (available.isEmpty()) {
            return "(none visible)";
        }
        if (available.size() <= 20) {
            return String.join(", ", available);
        }
        return String.join(", ", available.subList(0, 20))
                + " and "
                + (available.size() - 20)
                + " more";
    }

    /** {@code qualifiedName} as a regular expression matching exactly it (for Debezium). */
    public static String exactRegex(String qualifiedName) {
        StringBuilder sb = new StringBuilder();
        for (char ch : qualifiedName.toCharArray()) {
            if ("\\^$.|?*+()[]{}".indexOf(ch) >= 0) {
                sb.append('\\');
            }
            sb.append(ch);
        }
        return sb.toString();
    }
}

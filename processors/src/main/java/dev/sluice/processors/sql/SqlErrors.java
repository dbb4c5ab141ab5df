package dev.sluice.processors.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what Flink's parser and planner say about a bad query into a message for the person who
 * wrote it: the position as "(line L, column C)", no stack of wrapper messages, and for the common
 * mistakes (a table that is not an input, a column that cannot be read, a window without event
 * time, table hints) what is allowed instead.
 */
final class SqlErrors {

    private static final Pattern POSITION =
            Pattern.compile(
                    "From line (\\d+), column (\\d+) to line \\d+, column \\d+: (.*)",
                    Pattern.DOTALL);
    private static final Pattern OBJECT_NOT_FOUND = Pattern.compile("Object '([^']*)' not found");
    private static final Pattern COLUMN_NOT_FOUND =
            Pattern.compile("Column '([^']*)' not found in (any table|table '([^']*)')");

    private final String nodeId;
    private final List<InputTable> tables;

    SqlErrors(String nodeId, List<InputTable> tables) {
        this.nodeId = nodeId;
        this.tables = tables;
    }

    /** The message for a query Flink refused. */
    String describe(Throwable error) {
        String message = null;
        String position = "";
        for (Throwable t = error; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            Matcher at = POSITION.matcher(m);
            if (at.matches()) {
                message = at.group(3);
                position = " (line " + at.group(1) + ", column " + at.group(2) + ")";
                break;
            }
        }
        if (message == null) {
            // The planner wraps its findings ("Error while applying rule ..."): the innermost
            // validation error is the one that says what is wrong.
            Throwable chosen = error;
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (t.getMessage() != null
                        && t.getClass().getSimpleName().endsWith("ValidationException")) {
                    chosen = t;
                }
            }
            message = clean(String.valueOf(chosen.getMessage()));
        }
        return prefix() + explain(message.trim(), position);
    }

    /** The message for a query with more than one statement. */
    String multipleStatements() {
        return prefix()
                + "the query must be exactly one statement, but it holds several (separated by"
                + " ';'); "
                + allowed();
    }

    /** The message for a statement that is not a query. */
    String notAQuery(String query) {
        return prefix()
                + "'"
                + firstWords(query)
                + "' statements are not allowed; "
                + allowed()
                + ". DDL, INSERT, SET, EXECUTE, ADD JAR, LOAD MODULE and every other statement"
                + " are refused";
    }

    String prefix() {
        return "sql '" + nodeId + "': ";
    }

    private String allowed() {
        return "the query is one SELECT (or WITH, VALUES, UNION ...) over the processor's inputs,"
                + " each a table named by its id: "
                + tableNames();
    }

    private String explain(String message, String position) {
        Matcher object = OBJECT_NOT_FOUND.matcher(message);
        if (object.find()) {
            return "table '"
                    + object.group(1)
                    + "'"
                    + position
                    + " is not an input of this processor; its tables are its inputs: "
                    + tableNames();
        }
        Matcher column = COLUMN_NOT_FOUND.matcher(message);
        if (column.find()) {
            String name = column.group(1);
            for (InputTable t : tables) {
                String reason = t.skipped().get(name);
                if (reason != null) {
                    return "field '"
                            + name
                            + "'"
                            + position
                            + " of input '"
                            + t.id()
                            + "' cannot be read in SQL: it is "
                            + reason;
                }
            }
            return "column '" + name + "'" + position + " does not exist; " + columns();
        }
        if (message.contains("cannot be enriched with new options")
                || message.contains("OPTIONS hint")) {
            return "table hints such as /*+ OPTIONS(...) */ are not allowed"
                    + position
                    + ": the tables are the processor's inputs, not connector tables";
        }
        if (message.contains("Non-query expression encountered")) {
            return "the text is not a query"
                    + position
                    + ": it must start with SELECT, WITH or VALUES";
        }
        if (message.contains("time attribute")) {
            return "windows need an event-time column"
                    + position
                    + ", and the column given to DESCRIPTOR(...) (or a legacy group window) is not"
                    + " one; "
                    + eventTimes()
                    + " (Flink: "
                    + firstLine(message)
                    + ")";
        }
        return firstLine(message) + position;
    }

    private String eventTimes() {
        List<String> with = new ArrayList<>();
        List<String> without = new ArrayList<>();
        for (InputTable t : tables) {
            if (t.eventTime() != null) {
                with.add(t.id() + " (" + t.eventTime().field() + ")");
            } else {
                without.add(t.id());
            }
        }
        String declare =
                "declare one with the source's eventTime option, e.g. \"eventTime\": {\"field\":"
                        + " \"ts\", \"maxOutOfOrderness\": \"PT5S\"}";
        if (with.isEmpty()) {
            return "no input declares an event time: " + declare;
        }
        String s = "the event-time columns are " + String.join(", ", with);
        if (!without.isEmpty()) {
            s += "; " + String.join(", ", without) + " declare(s) none: " + declare;
        }
        return s;
    }

    private String columns() {
        List<String> parts = new ArrayList<>();
        for (InputTable t : tables) {
            List<String> names = new ArrayList<>();
            t.fields().forEach(f -> names.add(f.name()));
            parts.add(t.id() + " (" + String.join(", ", names) + ")");
        }
        return "the inputs' columns are: " + String.join("; ", parts);
    }

    private String tableNames() {
        List<String> names = new ArrayList<>();
        tables.forEach(t -> names.add(t.id()));
        return String.join(", ", names);
    }

    private static String clean(String message) {
        for (String prefix :
                new String[] {
                    "SQL validation failed. ", "SQL parse failed. ", "SQL parse failed.\n"
                }) {
            if (message.startsWith(prefix)) {
                message = message.substring(prefix.length());
            }
        }
        return message;
    }

    private static String firstLine(String message) {
        int cut = message.indexOf("\nWas expecting");
        if (cut < 0) {
            cut = message.indexOf("Was expecting");
        }
        String s = cut < 0 ? message : message.substring(0, cut);
        return s.trim().replace('\n', ' ');
    }

    /** The statement's leading keywords, e.g. {@code CREATE TABLE}. */
    static String firstWords(String query) {
        String s = query.strip();
        while (s.startsWith("--") || s.startsWith("/*")) {
            int end = s.startsWith("--") ? s.indexOf('\n') : s.indexOf("*/");
            if (end < 0) {
                return "";
            }
            s = s.substring(end + (s.startsWith("--") ? 1 : 2)).strip();
        }
        String[] words = s.split("\\s+", 3);
        String first = words[0].toUpperCase(Locale.ROOT);
        if (words.length > 1
                && Map.of(
                                "CREATE", true,
                                "DROP", true,
                                "ALTER", true,
                                "ADD", true,
                                "LOAD", true,
                                "UNLOAD", true,
                                "INSERT", true,
                                "EXECUTE", true,
                                "SHOW", true,
                                "USE", true)
                        .containsKey(first)) {
            return first + " " + words[1].toUpperCase(Locale.ROOT).replace(";", "");
        }
        return first.replace(";", "");
    }
}

package dev.sluice.controller.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table laid out like {@code kubectl get}: upper-case headers, columns left-aligned
 * and separated by three spaces, no borders, no trailing spaces.
 *
 * <p>It exists so that every listing command ({@code get pipelines}, {@code runs}, {@code catalog})
 * looks the same and stays easy to read with {@code grep}, {@code awk} and {@code column}.
 */
final class TextTable {
    private static final String GAP = "   ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... headers) {
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.headers = List.of(headers);
    }

    /** Adds a row; {@code null} cells print empty. The number of cells must match the headers. */
    TextTable addRow(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(
                    "a row needs " + headers.size() + " cells, got " + cells.length);
        }
        List<String> row = new ArrayList<>(cells.length);
        for (String cell : cells) {
            row.add(cell == null ? "" : cell.replace('\n', ' '));
        }
        rows.add(row);
        return this;
    }

    /** The table as lines, the header first. */
    List<String> lines() {
        int[] widths = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        List<String> lines = new ArrayList<>(all.size());
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                line.append(cell);
                if (c < row.size() - 1) {
                    line.append(" ".repeat(widths[c] - cell.length())).append(GAP);
                }
            }
            lines.add(stripTrailing(line.toString()));
        }
        return lines;
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }
}

package io.github.orderstock.benchmark.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Columns padded to their widest cell; a column whose header starts with '>' is right-aligned (numbers). */
final class TextTable {

    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... headers) {
        this.headers = new String[headers.length];
        this.right = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            right[i] = headers[i].startsWith(">");
            this.headers[i] = right[i] ? headers[i].substring(1) : headers[i];
        }
    }

    TextTable row(Object... cells) {
        String[] row = new String[headers.length];
        Arrays.fill(row, "");
        for (int i = 0; i < Math.min(cells.length, headers.length); i++) {
            row[i] = cells[i] == null ? "" : cells[i].toString();
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, each line indented and without trailing blanks. */
    String render(String indent) {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        var text = new StringBuilder();
        line(text, indent, headers, widths);
        for (String[] row : rows) {
            line(text, indent, row, widths);
        }
        return text.toString();
    }

    private void line(StringBuilder text, String indent, String[] cells, int[] widths) {
        var line = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[i] - cells[i].length());
            line.append(right[i] ? pad + cells[i] : cells[i] + pad);
        }
        text.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
}

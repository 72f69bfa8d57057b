package dev.netns.sample.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's README.md as tests read it: its fenced code blocks and the text before each. */
public final class Readme {

    private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: ([a-z0-9-]+) -->\\s*$");

    /**
     * A fenced code block.
     *
     * @param language the info string ({@code java}, {@code properties}, or empty)
     * @param code its lines, joined by '\n', without the fences
     * @param before the non-blank line just before the opening fence
     * @param line the line number of the opening fence (1-based)
     */
    public record Block(String language, String code, String before, int line) {

        /** The snippet name of a {@code <!-- snippet: NAME -->} marker just before the block, or null. */
        public String snippet() {
            Matcher matcher = SNIPPET.matcher(before);
            return matcher.find() ? matcher.group(1) : null;
        }
    }

    private final List<String> lines;
    private final List<Block> blocks;

    private Readme(List<String> lines) {
        this.lines = lines;
        this.blocks = parse(lines);
    }

    /** The README of the project root ({@link PackagedApp#projectRoot()}). */
    public static Readme load() {
        try {
            return new Readme(Files.readAllLines(PackagedApp.projectRoot().resolve("README.md")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> lines() {
        return lines;
    }

    public List<Block> blocks() {
        return blocks;
    }

    /** The one-line command of the first code block after the first line containing {@code marker}. */
    public String commandAfter(String marker) {
        int at = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                at = i + 1;
                break;
            }
        }
        if (at < 0) {
            throw new AssertionError("README.md has no line containing '" + marker + "'");
        }
        for (Block block : blocks) {
            if (block.line() > at) {
                if (block.code().contains("\n")) {
                    throw new AssertionError("the block after '" + marker + "' is not one line: " + block.code());
                }
                return block.code();
            }
        }
        throw new AssertionError("README.md has no code block after '" + marker + "'");
    }

    private static List<Block> parse(List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        String before = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                String language = line.substring(3).strip();
                int start = i;
                StringBuilder code = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    code.append(code.length() == 0 && i == start + 1 ? "" : "\n").append(lines.get(i));
                }
                blocks.add(new Block(language, code.toString(), before, start + 1));
                before = "";
            } else if (!line.isBlank()) {
                before = line;
            }
        }
        return blocks;
    }

    /**
     * The rows of the first Markdown table after the heading {@code heading}: each row's cells,
     * trimmed, header and separator left out.
     */
    public List<List<String>> tableAfter(String heading) {
        int i = lines.indexOf(heading);
        if (i < 0) {
            throw new AssertionError("README.md has no heading '" + heading + "'");
        }
        while (i < lines.size() && !lines.get(i).startsWith("|")) {
            i++;
        }
        List<List<String>> rows = new ArrayList<>();
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String row = lines.get(i).strip();
            List<String> cells = new ArrayList<>();
            for (String cell : row.substring(1, row.length() - 1).split("(?<!\\\\)\\|", -1)) {
                cells.add(cell.strip().replace("\\|", "|"));
            }
            rows.add(cells);
        }
        return rows;
    }
}

package dev.netns.sample.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.sample.testsupport.PackagedApp;
import dev.netns.sample.testsupport.Readme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java and properties block of the README is a region of a compiled (and run) test source:
 * the block after {@code <!-- snippet: NAME -->} must equal the lines between {@code tag::NAME[]}
 * and {@code end::NAME[]} in this module's test sources, indentation aside.
 */
class ReadmeSnippetsTest {

    private static final Pattern TAG = Pattern.compile("(?://|#)\\s*tag::([a-z0-9-]+)\\[]");

    @Test
    void everyJavaAndPropertiesBlockIsACompiledRegion() throws IOException {
        Map<String, String> regions = regions(PackagedApp.projectRoot().resolve("netns-sample-app/src/test"));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Readme.Block block : Readme.load().blocks()) {
            if (!block.language().equals("java") && !block.language().equals("properties")) {
                continue;
            }
            String name = block.snippet();
            if (name == null) {
                problems.add("README.md line " + block.line() + ": a " + block.language()
                        + " block without a <!-- snippet: NAME --> marker before it");
            } else if (!regions.containsKey(name)) {
                problems.add("README.md line " + block.line() + ": no region tag::" + name + "[] in the test sources");
            } else if (!dedent(block.code()).equals(regions.get(name))) {
                problems.add("README.md line " + block.line() + ": the block differs from region " + name + "; the region is:\n"
                        + regions.get(name));
            } else {
                checked++;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).isGreaterThanOrEqualTo(6);
    }

    @Test
    void theStarterPropertiesAreKnownKeys() throws IOException {
        String region = regions(PackagedApp.projectRoot().resolve("netns-sample-app/src/test")).get("starter-properties");
        for (String line : region.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String key = line.substring(0, line.indexOf('='));
            assertThat(key).as(line).matches("netns\\.namespaces\\.[a-z]+|management\\.endpoints\\.web\\.exposure\\.include");
        }
    }

    /** Every tagged region under a directory, by name, dedented. */
    static Map<String, String> regions(Path dir) throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".properties")).toList();
        }
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher tag = TAG.matcher(lines.get(i));
                if (!tag.find() || tag.start() != lines.get(i).indexOf(lines.get(i).strip())) {
                    continue;
                }
                String name = tag.group(1);
                StringBuilder region = new StringBuilder();
                int j = i + 1;
                for (; j < lines.size() && !lines.get(j).strip().matches("(?://|#)\\s*end::" + Pattern.quote(name) + "\\[]"); j++) {
                    region.append(region.length() == 0 && j == i + 1 ? "" : "\n").append(lines.get(j));
                }
                regions.put(name, dedent(region.toString()));
                i = j;
            }
        }
        return regions;
    }

    static String dedent(String text) {
        String[] lines = text.split("\n", -1);
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            out.add(line.isBlank() ? "" : line.substring(indent).stripTrailing());
        }
        return String.join("\n", out).strip();
    }
}

package dev.netns.sample.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.sample.SampleProperties;
import dev.netns.sample.testsupport.Readme;
import dev.netns.spring.boot.autoconfigure.NetnsProperties;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's configuration reference is the generated configuration metadata: the same
 * properties, each with the description the metadata has (from the Javadoc of its field) and the
 * default the metadata has. That default must be there whenever a fresh properties object holds a
 * value (an IDE shows the metadata's, not the object's), and must be that value.
 */
class ReadmeConfigurationTest {

    @Test
    void theStarterTableIsTheStartersMetadata() throws Exception {
        assertTableMatches("### Starter properties (`netns.*`)", "netns.", NetnsProperties::new);
    }

    @Test
    void theSampleTableIsTheSamplesMetadata() throws Exception {
        assertTableMatches("### Sample app properties (`sample.*`)", "sample.", SampleProperties::new);
    }

    private static void assertTableMatches(String heading, String prefix, Supplier<Object> fresh) throws Exception {
        Map<String, String> expected = new TreeMap<>();
        for (JsonNode property : metadata(prefix)) {
            String name = property.get("name").asString();
            String actual = format(new BeanWrapperImpl(fresh.get()).getPropertyValue(path(name.substring(prefix.length()))));
            String defaultValue = property.has("defaultValue") ? format(property.get("defaultValue")) : "—";
            assertThat(defaultValue).as("the metadata's default of %s, against a fresh %s", name, fresh.get().getClass().getSimpleName())
                    .isEqualTo(actual);
            expected.put(name, "`" + name + "` | " + (defaultValue.equals("—") ? "—" : "`" + defaultValue + "`") + " | "
                    + property.get("description").asString());
        }
        Map<String, String> documented = new TreeMap<>();
        for (List<String> row : Readme.load().tableAfter(heading)) {
            String name = row.get(0).replace("`", "");
            documented.put(name, String.join(" | ", row));
        }
        assertThat(expected).as("properties in the metadata").isNotEmpty();
        assertThat(documented).as("the README's table under %s, one row per property", heading).isEqualTo(expected);
    }

    private static List<JsonNode> metadata(String prefix) throws Exception {
        List<JsonNode> properties = new java.util.ArrayList<>();
        Enumeration<URL> files = ReadmeConfigurationTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json");
        while (files.hasMoreElements()) {
            try (InputStream in = files.nextElement().openStream()) {
                for (JsonNode property : JsonMapper.builder().build().readTree(in).get("properties")) {
                    if (property.get("name").asString().startsWith(prefix)) {
                        properties.add(property);
                    }
                }
            }
        }
        return properties;
    }

    /** {@code executor.threads-per-namespace} as a bean path: {@code executor.threadsPerNamespace}. */
    private static String path(String dashed) {
        StringBuilder path = new StringBuilder();
        boolean upper = false;
        for (char c : dashed.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                path.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return path.toString();
    }

    /** A metadata default as the README writes it: lists joined by commas. */
    private static String format(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new java.util.ArrayList<>();
            value.forEach(item -> items.add(item.asString()));
            return items.isEmpty() ? "—" : String.join(",", items);
        }
        return value.asString();
    }

    private static String format(Object value) {
        if (value == null || value instanceof Map<?, ?> map && map.isEmpty() || value instanceof Collection<?> c && c.isEmpty()) {
            return "—";
        }
        if (value instanceof Duration duration) {
            return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
        }
        if (value instanceof Collection<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof org.springframework.util.unit.DataSize size) {
            return size.toBytes() % 1024 == 0 ? size.toKilobytes() + "KB" : size.toBytes() + "B";
        }
        return value.toString();
    }
}

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
 * properties, each with the description the metadata has (from the Javadoc of its field) and its
 * default (the metadata's, else the value a fresh properties object holds).
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
            String defaultValue = property.has("defaultValue") ? property.get("defaultValue").asString()
                    : format(new BeanWrapperImpl(fresh.get()).getPropertyValue(path(name.substring(prefix.length()))));
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

    private static String format(Object value) {
        if (value == null || value instanceof Map<?, ?> map && map.isEmpty() || value instanceof Collection<?> c && c.isEmpty()) {
            return "—";
        }
        if (value instanceof Duration duration) {
            return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
        }
        return value.toString();
    }
}

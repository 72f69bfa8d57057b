package dev.netns.sample.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.NamespaceTemplate;
import dev.netns.NamespaceUnavailableException;
import dev.netns.sample.testsupport.PackagedApp;
import dev.netns.sample.testsupport.Readme;
import dev.netns.spring.boot.actuate.NetnsHealthIndicator;
import dev.netns.spring.boot.autoconfigure.NetnsAutoConfiguration;
import dev.netns.spring.boot.autoconfigure.NetnsDockerAutoConfiguration;
import dev.netns.spring.boot.autoconfigure.NetnsEndpointAutoConfiguration;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.RequiresDocker;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.TestNamespaces;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The README's "Use it in your app" section: its dependency is this build's starter, its
 * exclusions are exactly the docker-java artifacts the starter brings, and its properties run as
 * it says (health DOWN while the required alias's namespace is missing, UP once it exists; without
 * docker-java everything else works and {@code docker:} references name what to add).
 */
class ReadmeUseInYourAppTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private static final AutoConfigurations STARTER = AutoConfigurations.of(NetnsAutoConfiguration.class,
            NetnsDockerAutoConfiguration.class, NetnsEndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class);

    @Test
    void theDependencyIsThisBuildsStarterAndTheExclusionsAreItsDockerJavaArtifacts() throws Exception {
        Map<String, Element> blocks = xmlBlocks();
        Document parent = parse(PackagedApp.projectRoot().resolve("pom.xml"));
        Document starter = parse(PackagedApp.projectRoot().resolve("netns-spring-boot-starter/pom.xml"));
        String groupId = text(parent.getDocumentElement(), "groupId");
        String version = text(parent.getDocumentElement(), "version");
        String artifactId = text(starter.getDocumentElement(), "artifactId");
        for (String name : List.of("starter-dependency", "starter-without-docker")) {
            Element dependency = blocks.get(name);
            assertThat(dependency).as("README block <!-- xml: %s -->", name).isNotNull();
            assertThat(List.of(text(dependency, "groupId"), text(dependency, "artifactId"), text(dependency, "version")))
                    .as(name).containsExactly(groupId, artifactId, version);
        }
        TreeSet<String> excluded = new TreeSet<>();
        NodeList exclusions = blocks.get("starter-without-docker").getElementsByTagName("exclusion");
        for (int i = 0; i < exclusions.getLength(); i++) {
            Element exclusion = (Element) exclusions.item(i);
            excluded.add(text(exclusion, "groupId") + ":" + text(exclusion, "artifactId"));
        }
        TreeSet<String> dockerJava = new TreeSet<>();
        NodeList dependencies = starter.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if (text(dependency, "groupId").equals("com.github.docker-java")) {
                dockerJava.add(text(dependency, "groupId") + ":" + text(dependency, "artifactId"));
            }
        }
        assertThat(dockerJava).isNotEmpty();
        assertThat(excluded).isEqualTo(dockerJava);
        assertThat(String.join("\n", Readme.load().lines())).contains("mvn -B -q -DskipTests install",
                "org.springframework.boot:spring-boot-starter-webmvc", "org.springframework.boot:spring-boot-starter-actuator");
    }

    @Test
    @EnabledIfNetnsPrivileged
    @RequiresDocker
    void thePropertiesMakeHealthDownUntilTheRequiredAliasExists() throws Exception {
        Map<String, String> properties = load("readme/use-in-your-app.properties");
        assertThat(properties).containsEntry("netns.namespaces.backend", "name:blue");
        String blue = namespaces.newName(); // "blue" itself may exist on this machine: the same alias, a fresh name
        properties.put("netns.namespaces.backend", "name:" + blue);
        ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(STARTER)
                .withPropertyValues(asPairs(properties));
        runner.run(context -> {
            Health health = context.getBean(NetnsHealthIndicator.class).health(true);
            assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.DOWN);
        });
        Commands.check("ip", "netns", "add", blue);
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            Health health = context.getBean(NetnsHealthIndicator.class).health(true);
            assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.UP);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> aliases = (Map<String, Map<String, Object>>) health.getDetails().get("aliases");
            assertThat(aliases.get("backend")).containsEntry("status", "UP").containsEntry("required", true);
            assertThat(aliases.get("web")).containsEntry("required", false);
            context.getBean(NamespaceTemplate.class).executors().close();
        });
    }

    @Test
    void withoutDockerJavaEverythingElseWorksAndDockerReferencesSayWhatToAdd() throws Exception {
        Map<String, String> properties = load("readme/without-docker.properties");
        new ApplicationContextRunner().withConfiguration(STARTER)
                .withClassLoader(new FilteredClassLoader("com.github.dockerjava"))
                .withPropertyValues(asPairs(properties))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    NamespaceTemplate template = context.getBean(NamespaceTemplate.class);
                    assertThat(template.referenceOf("host").scheme()).isEqualTo("host");
                    assertThatThrownBy(() -> template.resolve("docker:web")).isInstanceOf(NamespaceUnavailableException.class)
                            .hasMessageContaining("docker-java-core");
                    assertThat(context.getBean(NetnsHealthIndicator.class).health(true).getDetails()).doesNotContainKey("docker");
                });
    }

    // --- helpers ---

    /** The README's XML blocks, each after a {@code <!-- xml: NAME -->} marker, parsed. */
    private static Map<String, Element> xmlBlocks() throws Exception {
        Map<String, Element> blocks = new LinkedHashMap<>();
        for (Readme.Block block : Readme.load().blocks()) {
            if (block.language().equals("xml") && block.before().startsWith("<!-- xml: ")) {
                String name = block.before().substring("<!-- xml: ".length(), block.before().indexOf(" -->"));
                Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                        .parse(new InputSource(new StringReader(block.code())));
                blocks.put(name, document.getDocumentElement());
            }
        }
        return blocks;
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of an element's direct child of that name, or "". */
    private static String text(Element parent, String child) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element element && element.getTagName().equals(child)) {
                return element.getTextContent().strip();
            }
        }
        return "";
    }

    private static Map<String, String> load(String resource) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = ReadmeUseInYourAppTest.class.getClassLoader().getResourceAsStream(resource)) {
            properties.load(in);
        }
        Map<String, String> map = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }

    private static String[] asPairs(Map<String, String> properties) {
        List<String> pairs = new ArrayList<>();
        properties.forEach((name, value) -> pairs.add(name + "=" + value));
        return pairs.toArray(String[]::new);
    }
}

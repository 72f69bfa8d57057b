package dev.netns.sample.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.sample.namespaces.VethLinks;
import dev.netns.sample.testsupport.ApiClient;
import dev.netns.sample.testsupport.BrowserCondition;
import dev.netns.sample.testsupport.EventStreamClient;
import dev.netns.sample.testsupport.PackagedApp;
import dev.netns.sample.testsupport.RequiresBrowser;
import dev.netns.sample.testsupport.SampleNetworks;
import dev.netns.testsupport.Commands;
import dev.netns.test.EnabledIfNetnsPrivileged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard of the packaged application in a real headless Chromium (Debian's, through
 * Debian's chromedriver: Selenium is given both paths and never downloads anything): namespaces
 * created through the API appear with their interfaces and addresses, the create and delete
 * controls work, and a screenshot is kept as {@code target/dashboard.png}.
 */
@EnabledIfNetnsPrivileged
@RequiresBrowser
class DashboardBrowserIT {

    private static PackagedApp app;
    private static ApiClient api;

    private final SampleNetworks net = new SampleNetworks();
    private final String tag = "nt-" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final List<String> names = new ArrayList<>();
    private WebDriver browser;

    @TempDir
    Path profile;

    @BeforeAll
    static void startTheApplication() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = PackagedApp.start(List.of(java, "-jar", PackagedApp.jar().toString()), PackagedApp.projectRoot(),
                Map.of("SAMPLE_EVENTS_HEARTBEAT", "1s"), // a closed browser's stream is noticed within a second
                "dashboard-it-app");
        app.awaitHealthy(Duration.ofSeconds(90));
        api = new ApiClient(app.port());
    }

    @AfterAll
    static void stopTheApplication() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void cleanUp() {
        if (browser != null) {
            browser.quit();
        }
        SampleNetworks.removeHostEnds(names);
        for (String name : names) {
            if (Files.exists(Path.of("/run/netns", name))) {
                Commands.run(List.of("ip", "netns", "delete", name));
            }
        }
    }

    private String name(String suffix) {
        String name = tag + suffix;
        names.add(name);
        return name;
    }

    private WebDriver openBrowser() {
        return openBrowser(1500, 1150);
    }

    private WebDriver openBrowser(int width, int height) {
        System.setProperty("webdriver.chrome.driver", BrowserCondition.chromedriver().toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BrowserCondition.chromium().toFile());
        // The flags this machine's headless Chromium needs; no background traffic of its own.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(BrowserCondition.chromedriver().toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    @Test
    void namespacesCreatedThroughTheApiAppearWithTheirInterfacesAndTheControlsWork() throws Exception {
        String blue = name("-blue");
        String green = name("-green");
        String viaPage = name("-ui");
        assertThat(api.post("/api/namespaces", "{\"name\": \"" + blue + "\", \"veth\": {\"hostAddress\": \"" + net.ipv4(1)
                + "\", \"namespaceAddress\": \"" + net.ipv4(2) + "\"}}").status()).isEqualTo(201);
        assertThat(api.post("/api/namespaces", "{\"name\": \"" + green + "\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/namespaces/" + blue + "/echo", "{}").status()).isEqualTo(201);

        browser = openBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(api.base() + "/?filter=" + tag);
        assertThat(browser.getTitle()).isEqualTo("netns dashboard");

        WebElement blueVeth = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(card(blue) + " tr[data-interface='veth0']")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(card(blue) + " tr[data-interface='veth0']"),
                net.ipv4(2)));
        assertThat(blueVeth.isDisplayed()).isTrue();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(card(blue) + " tr[data-interface='lo']"),
                "127.0.0.1/8"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(card(green) + " tr[data-interface='lo']"),
                "127.0.0.1/8"));
        String blueCard = browser.findElement(By.cssSelector(card(blue))).getText();
        assertThat(blueCard).contains(blue, "veth ↔ host " + VethLinks.hostEndOf(blue), "echo :7", "UP");
        assertThat(browser.findElements(By.cssSelector(card(green) + " tr[data-interface]"))).hasSize(1);

        // the summary: nothing of the JVM is stranded in a namespace
        wait.until(ExpectedConditions.textToBe(By.id("count-strays"), "0"));
        assertThat(Integer.parseInt(browser.findElement(By.id("count-named")).getText())).isGreaterThanOrEqualTo(2);
        assertThat(browser.findElement(By.id("executors")).getText()).contains(blue);

        // the create control
        browser.findElement(By.id("create-name")).sendKeys(viaPage);
        click(wait, By.id("create-button"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Created " + viaPage));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(card(viaPage) + " tr[data-interface='lo']"),
                "127.0.0.1/8"));
        assertThat(Path.of("/run/netns", viaPage)).exists();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("refresh-status"), "live"));

        Path screenshot = Path.of("target", "dashboard.png");
        Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);

        // the delete control: a first click arms it, a second deletes
        By delete = By.cssSelector(card(viaPage) + " button[data-action='delete']");
        click(wait, delete);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(delete, "Confirm delete"));
        click(wait, delete);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(card(viaPage))));
        assertThat(Path.of("/run/netns", viaPage)).doesNotExist();
        assertThat(browser.findElement(By.id("message")).getText()).contains("Deleted name:" + viaPage);
    }

    @Test
    void at1400PixelsLongIpv6AddressesStayInTheirCardsAndTheMetricsPanelFollowsCalls() throws Exception {
        String six = name("-six");
        String plain = name("-plain");
        String inside = net.ipv6Long(2);
        assertThat(api.post("/api/namespaces", "{\"name\": \"" + six + "\", \"veth\": {\"hostAddress\": \"" + net.ipv6Long(1)
                + "\", \"namespaceAddress\": \"" + inside + "\"}}").status()).isEqualTo(201);
        assertThat(api.post("/api/namespaces", "{\"name\": \"" + plain + "\"}").status()).isEqualTo(201);

        browser = openBrowser(1400, 1000);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(api.base() + "/?filter=" + tag);
        String address = inside.substring(0, inside.indexOf('/'));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(card(six) + " tr[data-interface='veth0']"),
                address));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertThat(((Number) js.executeScript("return window.innerWidth")).intValue()).isLessThanOrEqualTo(1400);
        @SuppressWarnings("unchecked")
        List<String> overflowing = (List<String>) js.executeScript(
                "return [...document.querySelectorAll('article.card')].filter(card => {"
                        + " const box = card.getBoundingClientRect();"
                        + " return card.scrollWidth > card.clientWidth"
                        + "   || [...card.querySelectorAll('td, table')].some(e => e.getBoundingClientRect().right > box.right + 0.5);"
                        + "}).map(card => card.dataset.ref)");
        assertThat(overflowing).as("cards whose content overflows at 1400 px").isEmpty();
        assertThat(((Number) js.executeScript("return document.documentElement.scrollWidth")).intValue())
                .isLessThanOrEqualTo(((Number) js.executeScript("return document.documentElement.clientWidth")).intValue());

        // calls and a failing one (binding an address the namespace does not have fails inside it) show up in the panel
        for (int i = 0; i < 5; i++) {
            assertThat(api.post("/api/namespaces/" + plain + "/probe", "{\"host\": \"127.0.0.1\", \"port\": 9}").status())
                    .isEqualTo(200);
        }
        assertThat(api.post("/api/namespaces/" + plain + "/echo", "{\"address\": \"192.0.2.99\", \"port\": 0}").status())
                .isEqualTo(409);
        wait.until(driver -> ((Boolean) js.executeScript("return state.metrics.series.rate.some(v => v > 0)"
                + " && state.metrics.series.errors.some(v => v > 0) && state.metrics.series.latency.some(v => v > 0)")));
        assertThat(browser.findElement(By.id("metric-rate")).getText()).contains("/s");
        assertThat(browser.findElement(By.id("metric-latency")).getText()).contains("ms");
        assertThat(browser.findElement(By.id("metric-leaks")).getText()).startsWith("leaked handles");
        assertThat(browser.findElements(By.cssSelector("#metrics svg.spark polyline"))).hasSize(4);
        // a few more refreshes draw the lines over time
        wait.until(driver -> ((Number) js.executeScript("return state.metrics.series.rate.length")).intValue() >= 5);
        wait.until(driver -> driver.findElement(By.cssSelector("#metric-rate polyline")).getDomAttribute("points")
                .split(" ").length >= 5);
        Path screenshot = Path.of("target", "dashboard-1400.png");
        Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }

    @Test
    void aBadNameIsExplainedAndAnOldErrorGoesWithTheNextAction() {
        String taken = name("-taken");
        assertThat(api.post("/api/namespaces", "{\"name\": \"" + taken + "\"}").status()).isEqualTo(201);
        browser = openBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(api.base() + "/?filter=" + tag);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("refresh-status"), "live"));

        WebElement input = browser.findElement(By.id("create-name"));
        input.sendKeys("-bad name");
        click(wait, By.id("create-button"));
        assertThat(input.getDomProperty("validationMessage")).contains("letters, digits", "starting with a letter or digit");
        assertThat(browser.findElement(By.id("message")).isDisplayed()).as("nothing was sent").isFalse();

        input.clear();
        input.sendKeys(taken);
        click(wait, By.id("create-button"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Namespace exists"));
        assertThat(browser.findElement(By.id("message")).getAttribute("class")).contains("error");

        click(wait, By.cssSelector("#probe-form button[type=submit]"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("probe-result"), "connected"));
        assertThat(browser.findElement(By.id("message")).isDisplayed()).as("the old error is gone").isFalse();
    }

    /**
     * Live updates: a name that {@code ip netns add} makes outside the application appears on the
     * page without a reload, and goes when {@code ip netns del} deletes it; while the event stream is
     * open the list is not polled.
     */
    @Test
    void aNamespaceAddedByIpNetnsAppearsWithoutAReloadAndGoesWhenDeleted() throws Exception {
        String outside = name("-ipnetns");
        browser = openBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(api.base() + "/?filter=" + tag);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("refresh-status"), "live · events"));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        Thread.sleep(1500); // the reload that going live starts
        js.executeScript("window.sameDocument = 'yes'; performance.setResourceTimingBufferSize(100000);"
                + " performance.clearResourceTimings();");

        // quiet: the panels are read, the list is not (unless an event came: other tests make names too)
        Thread.sleep(5000);
        long listReads = ((Number) js.executeScript("return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.endsWith('/api/namespaces')).length")).longValue();
        long events = ((Number) js.executeScript("return state.events.length")).longValue();
        long panelReads = ((Number) js.executeScript("return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.endsWith('/actuator/netns')).length")).longValue();
        assertThat(panelReads).as("the panels are still read").isGreaterThanOrEqualTo(1);
        assertThat(listReads).as("list reads while live, against %d events", events).isLessThanOrEqualTo(events);

        Commands.check("ip", "netns", "add", outside);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(card(outside) + " tr[data-interface='lo']")));
        assertThat(js.executeScript("return window.sameDocument")).as("no reload").isEqualTo("yes");
        assertThat(js.executeScript("return state.events.some(e => e.kind === 'ADDED' && e.name === arguments[0])", outside))
                .isEqualTo(true);
        Path screenshot = Path.of("target", "dashboard-live.png");
        Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);

        Commands.check("ip", "netns", "del", outside);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(card(outside))));
        assertThat(js.executeScript("return window.sameDocument")).as("no reload").isEqualTo("yes");
        assertThat(js.executeScript("return state.events.some(e => e.kind === 'DELETED' && e.name === arguments[0])", outside))
                .isEqualTo(true);
    }

    /**
     * When no stream can be had (every place taken), the page polls: a name made by {@code ip netns}
     * still appears; once a place is free it subscribes again and is live.
     */
    @Test
    void withoutAStreamThePagePollsAndGoesLiveWhenAPlaceIsFree() throws Exception {
        List<EventStreamClient> taken = new ArrayList<>();
        try {
            fillEveryPlace(taken);
            Thread.sleep(2500); // streams of browsers that earlier tests closed go at the next heartbeat (1 s here)
            fillEveryPlace(taken);
            String polled = name("-polled");
            browser = openBrowser();
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(api.base() + "/?filter=" + tag);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("refresh-status"), "polling"));
            Commands.check("ip", "netns", "add", polled);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(card(polled))));
            assertThat(browser.findElement(By.id("refresh-status")).getText()).startsWith("polling");
            for (EventStreamClient client : taken) {
                client.close();
            }
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("refresh-status"), "live · events"));
        } finally {
            for (EventStreamClient client : taken) {
                client.close();
            }
        }
    }

    private static void fillEveryPlace(List<EventStreamClient> taken) throws Exception {
        for (int i = 0; i < 64; i++) { // the default allows 16
            EventStreamClient client = new EventStreamClient(app.port(), "/api/namespaces/events", Map.of());
            taken.add(client);
            if (client.status() == 503) {
                return;
            }
        }
        throw new AssertionError("no stream was refused");
    }

    /** Clicks what the locator finds, finding it again if a refresh redrew it meanwhile. */
    private static void click(WebDriverWait wait, By locator) {
        wait.ignoring(StaleElementReferenceException.class).until(driver -> {
            driver.findElement(locator).click();
            return true;
        });
    }

    private static String card(String name) {
        return "article.card[data-ref='name:" + name + "']";
    }
}

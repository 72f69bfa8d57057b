package dev.netns.sample.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.sample.namespaces.VethLinks;
import dev.netns.sample.testsupport.ApiClient;
import dev.netns.sample.testsupport.BrowserCondition;
import dev.netns.sample.testsupport.PackagedApp;
import dev.netns.sample.testsupport.RequiresBrowser;
import dev.netns.sample.testsupport.SampleNetworks;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.RequiresPrivileges;
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
@RequiresPrivileges
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
        app = PackagedApp.start(List.of(java, "-jar", PackagedApp.jar().toString()), PackagedApp.projectRoot(), Map.of(),
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
        System.setProperty("webdriver.chrome.driver", BrowserCondition.chromedriver().toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BrowserCondition.chromium().toFile());
        // The flags this machine's headless Chromium needs; no background traffic of its own.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1500,1150");
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

package io.glisk.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, through Debian's chromedriver (both installed by scripts/test-prerequisites): with the
 * driver and the browser named, Selenium Manager is never asked to download either. A fresh profile each time, and
 * none of the browser's own network chatter (updates, sync, field trials).
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    static final int WIDE = 1280;
    static final int NARROW = 400;
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /**
     * The CDP commands used here (screenshots, the narrow window) go through chromedriver's own endpoint, not the
     * DevTools socket: no selenium-devtools-v* module is needed, and Selenium's warning that none matches is noise.
     * Kept in a field: java.util.logging forgets the levels of loggers nobody holds.
     */
    private static final java.util.logging.Logger CDP_VERSIONS = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

    private final String base;
    private final Path profile;
    /** Where the browser saves what a page's download link gives, without asking. */
    private final Path downloads;
    private final ChromeDriver driver;

    Browser(int port) {
        assertThat(new File(CHROMEDRIVER).canExecute()).as(CHROMEDRIVER + " (scripts/test-prerequisites installs it)").isTrue();
        this.base = "http://localhost:" + port;
        try {
            this.profile = Files.createTempDirectory("glisk-chromium-");
            this.downloads = Files.createTempDirectory("glisk-downloads-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=" + WIDE + ",900",
                "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    void open(String path) {
        driver.get(base + path);
    }

    String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    void signIn(String user, String password) {
        open("/login");
        find("#username").sendKeys(user);
        find("#password").sendKeys(password);
        follow("button[type=submit]");
    }

    /** The sign-out button of the top bar, then the session's cookies are gone for good measure. */
    void signOut() {
        if (!driver.findElements(By.cssSelector(".account button")).isEmpty()) {
            follow(".account button");
        }
        driver.manage().deleteAllCookies();
        // photos the page being left was still loading are refused (401) once the session has ended: not the next
        // scenario's errors
        consoleErrors();
    }

    /**
     * Clicks what leads to another page and waits for that page: the next step must not race the navigation (a
     * sign-in whose answer never arrived leaves the browser without its session).
     */
    void follow(String css) {
        // a live part of the page may swap the element between finding and clicking it: then find it again
        WebElement element = until(d -> {
            WebElement found = find(css);
            found.click();
            return found;
        });
        until(d -> gone(element));
        until(d -> "complete".equals(script("return document.readyState")));
    }

    /**
     * Whether the element's page has been left. Chromium answers a question about an element of a document being
     * replaced either "stale" or "does not belong to the document" (a plain WebDriverException): both mean gone.
     */
    private static boolean gone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (WebDriverException e) {
            return true;
        }
    }

    /** Types into a field after emptying it, as a person selecting what is there and typing over it. */
    void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    /** A key pressed where the focus is. */
    void press(CharSequence key) {
        new Actions(driver).sendKeys(key).perform();
    }

    /** Clicks a download link and waits for the browser to have saved the file: its bytes. */
    byte[] download(String css, String fileName) {
        Path file = downloads.resolve(fileName);
        find(css).click();
        // the browser writes to a .crdownload file and renames it when the download is complete
        until(d -> Files.exists(file));
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    String text(String css) {
        return find(css).getText();
    }

    /**
     * Waits (up to 30 s) for the page to show what the test expects, without reloading it. When it does not, the
     * page as it was is saved as target/ui-screenshots/timeout-*.png, and the failure names its address.
     */
    <T> T until(Function<WebDriver, T> condition) {
        try {
            // a live page swaps its parts while the test reads them: an element found a moment ago may be gone
            return new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100))
                    .ignoring(StaleElementReferenceException.class).until(condition);
        } catch (TimeoutException e) {
            Path shot = SCREENSHOTS.resolve("timeout-" + System.currentTimeMillis() + ".png");
            try {
                Files.createDirectories(SCREENSHOTS);
                Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
            } catch (IOException notSaved) {
                e.addSuppressed(notSaved);
            }
            throw new AssertionError("the page at " + path() + " did not get there (as it was: " + shot + ")", e);
        }
    }

    Object script(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }

    /**
     * The natural width of each image on the page matching {@code css}, once they are all done loading: 0 for one
     * that could not be shown.
     */
    List<Long> naturalWidths(String css) {
        until(d -> (Boolean) script("return Array.from(document.querySelectorAll(arguments[0])).every(i => i.complete)", css));
        @SuppressWarnings("unchecked")
        List<Long> widths = (List<Long>) script("return Array.from(document.querySelectorAll(arguments[0]))"
                + ".map(i => i.naturalWidth)", css);
        return widths;
    }

    /**
     * A request the page's own script could send: a form POST with the session's cookies, and the CSRF token if one
     * is given. Its HTTP status (0 for a redirect, which is what a successful form POST answers).
     */
    long post(String path, String csrfToken) {
        Object status = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const body = new URLSearchParams();
                if (arguments[1]) { body.append('_csrf', arguments[1]); }
                fetch(arguments[0], {method: 'POST', body: body, credentials: 'same-origin', redirect: 'manual'})
                    .then(r => done(r.status), e => done(-1));
                """, path, csrfToken);
        return ((Number) status).longValue();
    }

    /** The CSRF token of the page's sign-out form (every signed-in page has one). */
    String csrfToken() {
        return find("input[name=_csrf]").getAttribute("value");
    }

    /**
     * The whole page at 1280 px and at 400 px as target/ui-screenshots/{name}-{width}.png, once its images have loaded;
     * at both widths nothing may stick out sideways (a page that scrolls sideways is not readable on a phone).
     */
    void screenshots(String name) {
        screenshots(name, true);
    }

    /** The same, of what the window shows (a dialog over the page, which a whole-page picture would cut apart). */
    void windowScreenshots(String name) {
        screenshots(name, false);
    }

    private void screenshots(String name, boolean wholePage) {
        for (int width : new int[] {WIDE, NARROW}) {
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", 900, "deviceScaleFactor", 1, "mobile", width < WIDE));
            until(d -> (Boolean) script("return Array.from(document.images).every(i => i.complete)"));
            long scrollWidth = ((Number) script("return document.documentElement.scrollWidth")).longValue();
            assertThat(scrollWidth).as(name + " at " + width + " px is no wider than the window").isLessThanOrEqualTo(width);
            long height = ((Number) script("return document.documentElement.scrollHeight")).longValue();
            Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", wholePage
                    ? Map.of("format", "png", "captureBeyondViewport", true,
                            "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1))
                    : Map.of("format", "png"));
            try {
                Files.createDirectories(SCREENSHOTS);
                Files.write(SCREENSHOTS.resolve(name + "-" + width + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    /**
     * What the browser's console said since the last call that is an error: a script error, a Content-Security-Policy
     * violation, a resource that did not load.
     */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    @Override
    public void close() {
        driver.quit();
        for (Path folder : List.of(profile, downloads)) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

package io.glisk.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console as a person uses it, in a real (headless) browser against the service in local mode: signing in,
 * following minted tokens to their revealed artworks, retrying a failed one, and the viewer who may look but not
 * change (the avatar pages: {@link ConsoleAvatarBrowserTest}). Every page is saved at 1280 px and 400 px under
 * target/ui-screenshots/ to be looked at.
 */
class ConsoleBrowserTest extends InBrowser {

    @Test
    void aNewcomerSignsInAndFindsTheTokensTheAvatarPagesAndTheTools() {
        browser.open("/ui/");
        assertThat(browser.path()).isEqualTo("/login");
        browser.screenshots("login");

        browser.signIn(ADMIN_USER, "not-the-password");
        assertThat(browser.text(".problem")).isEqualTo("Wrong user name or password.");
        browser.screenshots("login-failed");

        browser.signIn(ADMIN_USER, ADMIN_PASSWORD);
        // back to the page asked for before the sign-in
        assertThat(browser.path()).startsWith("/ui/");
        assertThat(browser.text(".account")).contains(ADMIN_USER);
        assertThat(browser.text(".account .role")).isEqualToIgnoringCase("admin");
        assertThat(browser.text("#tokens-title")).isEqualTo("GLISK tokens");
        assertThat(browser.find("#avatar-title a").getAttribute("href")).endsWith("/ui/avatar/");
        assertThat(browser.find("a[href='/actuator/hawtio/']").isDisplayed()).isTrue();
        assertThat(browser.find("a[href='" + GRAFANA_URL + "']").getText()).isEqualTo("Grafana");
        assertThat(browser.find("a[href='/actuator/health']").getText()).isEqualTo("Health");
        // the health of the service and of each component, read by the page's script
        browser.until(d -> browser.text("#health").equals("UP"));
        assertThat(browser.text("#health-details summary")).matches("\\d+ components, all UP");
        assertThat(browser.text(".pill")).startsWith("Local mode");
        browser.screenshots("overview");

        browser.follow("#avatar-title a");
        assertThat(browser.text("h1")).isEqualTo("Avatar data sets");
        assertThat(browser.text("#task-rows")).isEqualTo("No data sets yet. Order the first one.");
        browser.screenshots("avatar-empty");

        // a request the console refuses gets a page that says why, in the console's look
        browser.open("/ui/tokens?status=%3Cscript%3Ealert(1)%3C/script%3E");
        assertThat(browser.text(".error-page h1")).isEqualTo("Bad Request");
        assertThat(browser.text(".error-page")).contains("status must be one of").doesNotContain("alert");
        browser.screenshots("bad-request");
        // the browser logs the page's own 400: the test's doing
        assertThat(browser.consoleErrors()).allMatch(error -> error.contains("400"));

        browser.open("/logout");
        browser.screenshots("sign-out");
        browser.follow("main button");
        assertThat(browser.path()).isEqualTo("/login?logout");
        assertThat(browser.text(".notice")).isEqualTo("You are signed out.");
        browser.open("/ui/");
        assertThat(browser.path()).isEqualTo("/login");
    }

    @Test
    void mintedTokensReachRevealedOnTheTokensPageWithTheirImages() {
        browser.signIn(ADMIN_USER, ADMIN_PASSWORD);
        browser.open("/ui/tokens");
        HttpResponse<String> mint = http("POST", "/api/local/mint",
                "{\"quantity\": 3, \"prompt\": \"a lighthouse at dusk\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertThat(mint.statusCode()).as(mint.body()).isEqualTo(200);

        // the page follows the pipeline by itself: no reload
        browser.until(d -> browser.all("#token-rows tr[data-status=revealed]").size() == 3);
        assertThat(browser.naturalWidths("#token-rows img.thumb")).hasSize(3).allMatch(width -> width > 0);
        assertThat(browser.text("#summary [data-status=revealed] .count")).isEqualTo("3");
        WebElement newest = browser.all("#token-rows tr").get(0);
        String imageLink = newest.findElement(By.cssSelector("td[data-label=IPFS] a")).getAttribute("href");
        assertThat(imageLink).startsWith("http://localhost:" + port + "/sim/ipfs/bafk");
        assertThat(http("GET", imageLink.substring(("http://localhost:" + port).length()), null).statusCode()).isEqualTo(200);
        assertThat(newest.getText()).contains("revealed").contains("0x");
        browser.screenshots("tokens");

        browser.open("/ui/tokens?status=revealed");
        assertThat(browser.all("#token-rows tr[data-status=revealed]")).hasSize(3);
        assertThat(browser.find("#summary a.active").getAttribute("data-status")).isEqualTo("revealed");

        browser.follow("#token-rows tr .token-link");
        assertThat(browser.text("h1")).startsWith("Token #");
        assertThat(browser.text(".token-head .badge")).isEqualTo("revealed");
        assertThat(browser.naturalWidths("img.art")).containsExactly((long) IMAGE_SIZE);
        assertThat(browser.text("#story")).contains("generation").contains("ipfs").contains("revealed");
        assertThat(browser.text("#transactions")).contains("confirmed");
        assertThat(browser.all("#retry")).isEmpty();
        browser.screenshots("token-revealed");
    }

    @Test
    void aFailedTokenIsRetriedFromItsPageAndItsErrorIsShownAsText() {
        failed(900_001, "generation", HOSTILE_ERROR);
        browser.signIn(ADMIN_USER, ADMIN_PASSWORD);
        browser.open("/ui/tokens?status=failed");
        assertThat(browser.text("#token-rows tr[data-key='900001'] .error-text")).startsWith("Replicate answered HTTP 503: <script>");
        assertThat(browser.all("#token-rows tr[data-key='900001'] img")).isEmpty();
        browser.screenshots("tokens-failed");

        browser.follow("#token-rows tr[data-key='900001'] .token-link");
        assertThat(browser.path()).isEqualTo("/ui/tokens/900001");
        assertThat(browser.text("#errors pre")).isEqualTo(HOSTILE_ERROR);
        assertThat(browser.script("return window.__pwned")).isNull();
        assertThat(browser.text(".step-failed")).isEqualTo("generating");
        browser.screenshots("token-failed");

        browser.follow("#retry");
        assertThat(browser.text(".notice")).isEqualTo("Token 900001 was sent back to detected.");
        // generated and pinned again while the page watches; then the reveal leaves it out: the local chain never
        // minted it
        browser.until(d -> browser.text(".token-head").contains("failed in reveal"));
        assertThat(browser.naturalWidths("img.art")).hasSize(1).allMatch(width -> width > 0);
        assertThat(browser.text("#story")).contains("retried").contains("by=" + ADMIN_USER).contains("succeeded");
        assertThat(browser.text("#errors")).contains("does not exist on chain").doesNotContain("<script>");
        browser.screenshots("token-retried");
    }

    @Test
    void theViewerSeesEverythingButCannotRetry() {
        failed(900_002, "ipfs", "Pinata answered HTTP 401: Invalid authentication credentials provided");
        browser.signIn(VIEWER_USER, VIEWER_PASSWORD);
        assertThat(browser.text(".account")).contains(VIEWER_USER);
        assertThat(browser.text(".account .role")).isEqualToIgnoringCase("viewer");
        browser.open("/ui/tokens");
        assertThat(browser.text("#token-rows")).contains("#900002").contains("Pinata answered HTTP 401");

        browser.open("/ui/tokens/900002");
        assertThat(browser.all("#retry")).isEmpty();
        assertThat(browser.text(".token-head .hint")).isEqualTo("The admin can retry this token.");
        browser.screenshots("token-viewer");

        // the same POST the admin's button sends, with a valid CSRF token: refused for the viewer's role
        assertThat(browser.post("/ui/tokens/900002/retry", browser.csrfToken())).isEqualTo(403);
        assertThat(status(900_002)).isEqualTo("failed");
        browser.signOut();

        // and the admin's session is no use to a forged request without the token
        browser.signIn(ADMIN_USER, ADMIN_PASSWORD);
        browser.open("/ui/tokens/900002");
        assertThat(browser.post("/ui/tokens/900002/retry", null)).isEqualTo(403);
        assertThat(browser.post("/ui/tokens/900002/retry", "forged-" + browser.csrfToken())).isEqualTo(403);
        assertThat(status(900_002)).isEqualTo("failed");
        assertThat(jdbc.queryForList("SELECT event FROM token_events WHERE token_id = 900002", String.class)).isEmpty();
        // the admin's own button's request goes through (a redirect back to the page)
        assertThat(browser.post("/ui/tokens/900002/retry", browser.csrfToken())).isZero();
        assertThat(jdbc.queryForObject("SELECT detail->>'by' FROM token_events WHERE token_id = 900002 AND event = 'retried'",
                String.class)).isEqualTo(ADMIN_USER);
        // the browser logged the refused requests since the sign-out as errors: they were the test's, not the pages'
        assertThat(browser.consoleErrors()).hasSize(2).allMatch(error -> error.contains("403"));
    }
}

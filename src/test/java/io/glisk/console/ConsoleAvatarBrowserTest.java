package io.glisk.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The avatar pages as a person uses them, in a real (headless) browser against the service in local mode (the
 * OpenAI, Flowise and S3 simulators): ordering a data set through the form and watching it being made, its
 * personas' photos, bios and facts, the photo viewer, the exports, the form's refusals, a cancel, the viewer who
 * may look but not change, and hostile text shown as text. Every page is saved at 1280 px and 400 px under
 * target/ui-screenshots/.
 */
class ConsoleAvatarBrowserTest extends InBrowser {

    private static final String PERCENT = "return document.getElementById('percent').textContent";

    @Test
    void aDataSetIsOrderedWatchedToTheEndBrowsedAndExported() throws IOException {
        browser.signIn(ADMIN_USER, ADMIN_PASSWORD);
        browser.follow("#avatar-title a");
        browser.follow("#order");
        assertThat(browser.path()).isEqualTo("/ui/avatar/new");
        assertThat(browser.find("#personaCount").getAttribute("value")).isEqualTo("10");
        assertThat(browser.all("input[name=imagesPerPersona]")).extracting(input -> input.getAttribute("value"))
                .containsExactly("4", "8", "12", "16", "20");
        browser.find("#personaDescription").sendKeys("Nurses in Texas who love the outdoors");
        assertThat(browser.text("#description-count")).isEqualTo("37 / 2000 characters");
        browser.find("label[for=images-8]").click();
        assertThat(browser.text("#order-summary")).isEqualTo("10 personas × 8 photos = 80 photos, and a base selfie of each");
        browser.find("label[for=images-4]").click();
        browser.screenshots("avatar-new");

        browser.follow("#submit-order");
        assertThat(browser.path()).matches("/ui/avatar/[0-9a-f]{8}");
        String taskId = browser.path().substring("/ui/avatar/".length());
        assertThat(browser.text(".notice")).startsWith("Ordered: 10 personas with 4 photos each.");
        assertThat(browser.text(".request .description")).isEqualTo("Nurses in Texas who love the outdoors");
        assertThat(jdbc.queryForObject("SELECT submitted_by FROM avatar_tasks WHERE task_id = ?", String.class, taskId))
                .isEqualTo(ADMIN_USER);

        // the page follows the work by itself: the bar moves and reaches 100 % without a reload
        browser.script("window.samePage = true");
        Set<String> seen = new LinkedHashSet<>();
        browser.until(d -> {
            seen.add((String) browser.script(PERCENT));
            return seen.contains("100 %") && browser.text("#task-head .badge").equals("completed");
        });
        assertThat(browser.script("return window.samePage")).isEqualTo(true);
        assertThat(seen).as("the progress shown while the task ran").anyMatch(shown -> !shown.equals("0 %")
                && !shown.equals("100 %"));
        assertThat(browser.find("#progress").getAttribute("value")).isEqualTo("1");
        assertThat(browser.text("#stat-personas .value")).isEqualTo("10 / 10");
        assertThat(browser.text("#stat-photos .value")).isEqualTo("40 / 40");
        assertThat(browser.text("#stat-usage .value")).matches("[0-9,]+ tokens").isNotEqualTo("0 tokens");
        assertThat(browser.all("#cancel")).isEmpty();
        assertThat(browser.all("#retry")).isEmpty();
        assertThat(browser.all("#task-errors section")).isEmpty();

        // the personas, eight a page, each with its base photo first and its four photos, all of them shown
        assertThat(browser.all("#persona-cards article.persona")).hasSize(AvatarPages.PERSONAS_PER_PAGE);
        assertThat(browser.naturalWidths("#persona-cards img.thumb")).hasSize(AvatarPages.PERSONAS_PER_PAGE * 5)
                .allMatch(width -> width > 0);
        WebElement first = browser.find("#persona-cards article.persona");
        assertThat(first.findElement(By.cssSelector(".photos li:first-child .tag")).getText()).isEqualTo("BASE");
        assertThat(first.findElement(By.cssSelector(".persona-facts")).getText()).contains("Job").contains("Education")
                .contains("Lives in");
        // bios in tabs: Facebook's shown, the others a click away
        WebElement facebook = first.findElement(By.cssSelector(".panel-facebook"));
        WebElement instagram = first.findElement(By.cssSelector(".panel-instagram"));
        assertThat(facebook.isDisplayed()).isTrue();
        assertThat(instagram.isDisplayed()).isFalse();
        first.findElement(By.xpath(".//label[text()='Instagram']")).click();
        assertThat(instagram.isDisplayed()).isTrue();
        assertThat(instagram.getText()).isNotBlank();
        assertThat(facebook.isDisplayed()).isFalse();
        browser.screenshots("avatar-task");

        // the viewer: opened from the keyboard on the second photo, arrows go through the persona's photos, Esc closes
        String name = first.findElement(By.cssSelector("h3")).getText();
        first.findElement(By.cssSelector(".photos li:nth-child(2) a.photo")).sendKeys(Keys.ENTER);
        browser.until(d -> browser.script("return document.getElementById('viewer').open").equals(true));
        assertThat(browser.text("#viewer-caption")).isEqualTo(name + " · photo 1 (2 of 5)");
        browser.until(d -> ((Number) browser.script("return document.getElementById('viewer-image').naturalWidth")).longValue() > 0);
        browser.press(Keys.ARROW_RIGHT);
        assertThat(browser.text("#viewer-caption")).isEqualTo(name + " · photo 2 (3 of 5)");
        browser.press(Keys.ARROW_LEFT);
        browser.press(Keys.ARROW_LEFT);
        assertThat(browser.text("#viewer-caption")).isEqualTo(name + " · base photo (1 of 5)");
        browser.until(d -> ((Number) browser.script("return document.getElementById('viewer-image').naturalWidth")).longValue() > 0);
        browser.windowScreenshots("avatar-viewer");
        browser.press(Keys.ESCAPE);
        browser.until(d -> browser.script("return document.getElementById('viewer').open").equals(false));
        // and by the mouse, closed with its button
        first.findElement(By.cssSelector(".photos li:nth-child(3) a.photo")).click();
        browser.until(d -> browser.script("return document.getElementById('viewer').open").equals(true));
        browser.find("#viewer-close").click();
        browser.until(d -> browser.script("return document.getElementById('viewer').open").equals(false));

        browser.follow("#persona-pager a[href$='page=2']");
        assertThat(browser.all("#persona-cards article.persona")).hasSize(10 - AvatarPages.PERSONAS_PER_PAGE);
        assertThat(browser.naturalWidths("#persona-cards img.thumb")).hasSize(2 * 5).allMatch(width -> width > 0);
        assertThat(browser.text("#persona-pager")).contains("Page 2 of 2 · 10 personas");

        // the data set taken home through the page's button: every persona's details and photos
        Map<String, byte[]> zip = unzip(browser.download("#export-zip", "avatar-task-" + taskId + ".zip"));
        assertThat(zip.keySet()).filteredOn(entry -> entry.matches("profiles/[^/]+_[^/]+/details\\.json")).hasSize(10);
        assertThat(zip.keySet()).filteredOn(entry -> entry.matches("profiles/[^/]+_[^/]+/images/[1-4]\\.png")).hasSize(40);
        ObjectMapper json = new ObjectMapper();
        Set<String> names = new LinkedHashSet<>();
        for (String entry : zip.keySet().stream().filter(e -> e.endsWith("details.json")).toList()) {
            JsonNode details = json.readTree(zip.get(entry));
            names.add(details.get("firstname").asText() + " " + details.get("lastname").asText());
            assertThat(details.get("imageUrls")).as(entry).hasSize(4);
            String folder = entry.substring(0, entry.length() - "details.json".length());
            assertThat(zip).as(entry).containsKeys(folder + "images/1.png", folder + "images/4.png");
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(jdbc.queryForList(
                "SELECT firstname || ' ' || lastname FROM avatar_personas", String.class));
        assertThat(zip.values()).filteredOn(bytes -> bytes.length > 8 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G')
                .hasSize(40);
        assertThat(browser.find("#export-json").getAttribute("href")).endsWith("/api/avatar/tasks/" + taskId + "/export.json");
        assertThat(browser.find("#export-csv").getAttribute("href")).endsWith("/api/avatar/tasks/" + taskId + "/export.csv");

        // the list, and the overview's card
        browser.follow(".crumbs a");
        WebElement row = browser.find("#task-rows tr[data-key='" + taskId + "']");
        assertThat(row.findElement(By.cssSelector(".badge")).getText()).isEqualTo("completed");
        assertThat(row.getText()).contains("100 %").contains("10 / 10").contains("40 / 40")
                .contains("Nurses in Texas who love the outdoors");
        browser.open("/ui/");
        assertThat(browser.text("#avatar-counts")).contains("1 of 1 completed, 0 in work, 0 failed");
        browser.screenshots("overview-avatar");
    }

    @Test
    void theOrderFormSaysWhatIsWrongBesideEachFieldAndKeepsWhatWasTyped() {
        browser.signIn(ADMIN_USER, ADMIN_PASSWORD);
        browser.open("/ui/avatar/new");
        browser.type("#personaCount", "9");
        browser.follow("#submit-order");
        assertThat(browser.text("#form-problem")).isEqualTo("2 fields need a change before the order can go.");
        assertThat(errorBeside("#personaCount")).isEqualTo("Must be between 10 and 300");
        assertThat(errorBeside("#personaDescription")).isEqualTo("Must be 1 to 2000 characters, not blank");
        assertThat(browser.all("#imagesPerPersona-error, #bioLanguage-error")).isEmpty();
        assertThat(browser.find("#personaCount").getAttribute("value")).isEqualTo("9");
        assertThat(browser.find("#images-4").isSelected()).isTrue();
        assertThat(browser.find("#bioLanguage").getAttribute("value")).isEqualTo("English");
        // the first wrong field has the focus, for the keyboard
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("personaCount");
        browser.screenshots("avatar-new-errors");

        // one character too many: the counter says so before it is sent, and the service refuses it
        browser.type("#personaCount", "10");
        browser.find("#personaDescription").sendKeys("Lighthouse keepers. " + "x".repeat(1981));
        assertThat(browser.text("#description-count")).isEqualTo("2001 / 2000 characters: 1 too many");
        assertThat(browser.find("#description-count").getAttribute("class")).contains("over");
        browser.follow("#submit-order");
        assertThat(browser.text("#form-problem")).isEqualTo("One field needs a change before the order can go.");
        assertThat(errorBeside("#personaDescription")).isEqualTo("Must be 1 to 2000 characters, not blank");
        assertThat(browser.find("#personaDescription").getAttribute("value")).hasSize(2001).startsWith("Lighthouse keepers.");
        assertThat(browser.find("#personaCount").getAttribute("value")).isEqualTo("10");

        // a tampered form: a photo count the form does not offer
        browser.type("#personaDescription", "Lighthouse keepers");
        browser.script("document.getElementById('images-8').value = '7'");
        browser.find("label[for=images-8]").click();
        browser.follow("#submit-order");
        assertThat(errorBeside("#images-4")).isEqualTo("Must be one of 4, 8, 12, 16 and 20");
        assertThat(browser.all("#personaDescription-error")).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM avatar_tasks", Long.class)).isZero();
        // the browser logged the refused forms' answers (400) as errors: the test's doing
        assertThat(browser.consoleErrors()).hasSize(3).allMatch(error -> error.contains("400"));
    }

    /** The error shown in the same field (label, input, hint, error) as the element. */
    private static String errorBeside(String css) {
        return browser.find(css).findElement(By.xpath("ancestor::*[contains(@class, 'field')][1]"))
                .findElement(By.cssSelector(".field-error")).getText();
    }

    @Test
    void textFromTheOrderIsShownAsTextEverywhere() {
        String hostile = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"> nurses who hike";
        browser.signIn(ADMIN_USER, ADMIN_PASSWORD);
        browser.open("/ui/avatar/new");
        browser.find("#personaDescription").sendKeys(hostile);
        browser.follow("#submit-order");
        assertThat(browser.text(".request .description")).isEqualTo(hostile);
        // the persona flow writes the description's start into the X bios
        browser.until(d -> !browser.all("#persona-cards article.persona").isEmpty());
        browser.find("#persona-cards article.persona label[for$='-x']").click();
        assertThat(browser.find("#persona-cards article.persona .panel-x").getText()).contains("<script>window.__pwned");
        assertThat(browser.script("return window.__pwned")).isNull();

        browser.follow(".crumbs a");
        assertThat(browser.text("#task-rows .description")).isEqualTo(hostile);
        assertThat(browser.script("return window.__pwned")).isNull();
    }

    @Test
    void aRunningDataSetIsCancelledFromItsPage() {
        browser.signIn(ADMIN_USER, ADMIN_PASSWORD);
        browser.open("/ui/avatar/new");
        browser.type("#personaCount", "300");
        browser.find("label[for=images-20]").click();
        browser.find("#personaDescription").sendKeys("Lighthouse keepers on the Atlantic coast");
        browser.follow("#submit-order");
        String taskId = browser.path().substring("/ui/avatar/".length());
        browser.until(d -> browser.text("#task-head .badge").startsWith("generating"));
        browser.screenshots("avatar-task-running");

        browser.follow("#cancel");
        // in work: it stops before its next call; between two (its lease handed back to wait): at once
        assertThat(browser.text(".notice")).matches("Cancel requested: .*|Cancelled\\. .*");
        browser.until(d -> browser.text("#task-head .badge").equals("cancelled"));
        assertThat(avatarStatus(taskId)).isEqualTo("cancelled");
        assertThat(browser.all("#cancel")).isEmpty();
        // what the cancel left undone can be made later; a cancelled data set is not exported
        assertThat(browser.all("#retry")).hasSize(1);
        assertThat(browser.all("#export-zip")).isEmpty();
        browser.screenshots("avatar-task-cancelled");
    }

    @Test
    void theListShowsEachDataSetsStateAndAFailedOneIsRetriedFromItsPage() {
        String refused = order(10, 8, "Night-shift paramedics", "Gore");
        awaitAvatarStatus(refused, "failed");
        String completed = order(10, 4, "Retired teachers who garden", "English");
        awaitAvatarStatus(completed, "completed");
        String running = order(300, 20, "Street musicians in Naples", "English");
        awaitAvatarStatus(running, "generating-data");

        browser.signIn(ADMIN_USER, ADMIN_PASSWORD);
        browser.open("/ui/avatar/");
        assertThat(browser.all("#task-rows tr")).extracting(row -> row.getAttribute("data-key"))
                .containsExactly(running, completed, refused);
        WebElement failed = browser.find("#task-rows tr[data-key='" + refused + "']");
        assertThat(failed.findElement(By.cssSelector(".badge")).getText()).isEqualTo("failed");
        assertThat(failed.findElement(By.cssSelector(".error-text")).getText()).containsIgnoringCase("moderation");
        assertThat(failed.getText()).contains("+ 9 more in its log").contains("0 / 80").contains("10 failed");
        assertThat(browser.text("#avatar-counts")).contains("3 in all").contains("failed 1").contains("completed 1");
        browser.screenshots("avatar-tasks");

        browser.follow("#task-rows tr[data-key='" + refused + "'] .task-link");
        assertThat(browser.all("#task-errors .error-log li")).hasSize(10);
        assertThat(browser.text("#task-errors h2")).isEqualTo("Error log (10)");
        assertThat(browser.text("#task-errors .error-log li .what")).containsIgnoringCase("moderation");
        assertThat(browser.all("#persona-cards .thumb-failed")).hasSize(AvatarPages.PERSONAS_PER_PAGE);
        assertThat(browser.all("#persona-cards img")).isEmpty();
        assertThat(browser.all("#export-zip")).isEmpty();
        browser.screenshots("avatar-task-failed");

        browser.follow("#retry");
        assertThat(browser.text(".notice")).isEqualTo("Back to work on 10 failed personas.");
        // it waits for its turn: one data set is made at a time
        assertThat(browser.text("#task-head .badge")).isEqualTo("generating-images");
        assertThat(browser.all("#retry")).isEmpty();
        assertThat(browser.all("#cancel")).hasSize(1);
        assertThat(browser.all("#task-errors section")).isEmpty();
    }

    @Test
    void theViewerFollowsADataSetButCannotOrderCancelOrRetry() {
        String taskId = order(300, 20, "Beekeepers in the Alps", "English");
        browser.signIn(VIEWER_USER, VIEWER_PASSWORD);
        browser.open("/ui/avatar/");
        assertThat(browser.all("#order")).isEmpty();
        assertThat(browser.text(".page-head .hint")).isEqualTo("The admin can order a data set.");
        browser.open("/ui/avatar/new");
        assertThat(browser.all("#task-form")).isEmpty();
        assertThat(browser.text("main .card h2")).isEqualTo("This needs the admin account");
        browser.screenshots("avatar-new-viewer");

        browser.open("/ui/avatar/" + taskId);
        browser.until(d -> browser.text("#task-head .badge").startsWith("generating"));
        assertThat(browser.all("#cancel")).isEmpty();
        assertThat(browser.all("#retry")).isEmpty();
        assertThat(browser.text("#task-head .hint")).isEqualTo("The admin can cancel this data set.");
        browser.screenshots("avatar-task-viewer");

        // the admin's requests with a valid CSRF token: refused for the viewer's role
        assertThat(browser.post("/ui/avatar/" + taskId + "/cancel", browser.csrfToken())).isEqualTo(403);
        assertThat(browser.post("/ui/avatar/new", browser.csrfToken())).isEqualTo(403);
        browser.signOut();
        // and the admin's session is no use to a forged request without the token
        browser.signIn(ADMIN_USER, ADMIN_PASSWORD);
        browser.open("/ui/avatar/" + taskId);
        assertThat(browser.post("/ui/avatar/" + taskId + "/cancel", null)).isEqualTo(403);
        assertThat(browser.post("/ui/avatar/" + taskId + "/cancel", "forged-" + browser.csrfToken())).isEqualTo(403);
        assertThat(jdbc.queryForObject("SELECT cancel_requested_at IS NULL FROM avatar_tasks WHERE task_id = ?",
                Boolean.class, taskId)).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM avatar_tasks", Long.class)).isOne();
        // the forged requests since the sign-out, logged by the browser as errors: the test's, not the pages'
        assertThat(browser.consoleErrors()).hasSize(2).allMatch(error -> error.contains("403"));
    }

    private static Map<String, byte[]> unzip(byte[] bytes) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }
}

package io.glisk.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The console's pages over plain HTTP: who gets in, what a malformed, oversized or hostile request gets, text
 * from outside shown escaped, the token thumbnails (kept bytes, or the pinned image through the gateway), the avatar
 * order form's refusals and the persona photos (from the bucket through the console).
 */
class ConsoleRequestsTest extends ConsoleContext {

    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml";
    private static final String FORM = "application/x-www-form-urlencoded";

    @Test
    void everyPageNeedsASignInButTheStyleSheetAndScriptDoNot() {
        HttpResponse<String> page = http("GET", "/ui/tokens", null, "Accept", BROWSER_ACCEPT, "Sec-Fetch-Mode", "navigate");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        // the page's own refresh, once the session is gone: a plain 401 that the script turns into a reload
        assertThat(http("GET", "/ui/tokens", null, "Sec-Fetch-Mode", "cors").statusCode()).isEqualTo(401);
        assertThat(http("GET", "/ui/tokens/1/image", null).statusCode()).isEqualTo(401);
        assertThat(http("POST", "/ui/tokens/1/retry", null).statusCode()).isEqualTo(401);
        for (String asset : new String[] {"/ui/assets/console.css", "/ui/assets/console.js", "/ui/assets/favicon.svg"}) {
            assertThat(http("GET", asset, null).statusCode()).as(asset).isEqualTo(200);
        }
        HttpResponse<String> login = http("GET", "/login", null, "Accept", BROWSER_ACCEPT);
        assertThat(login.body()).contains("Sign in").contains("/ui/assets/console.css").doesNotContain("cdn");
        assertThat(login.headers().firstValue("Content-Security-Policy")).hasValue(ConsoleHeaders.POLICY);
    }

    @Test
    void malformedOversizedAndHostileParametersAreRefusedWithoutBeingEchoed() {
        for (String query : new String[] {"status=%3Cscript%3Ealert(1)%3C/script%3E", "status=REVEALED", "status=failed,ready",
                "status=failed&status=ready", "status=" + "x".repeat(4000), "page=0", "page=-1", "page=abc",
                "page=99999999999999999999", "page=10001", "page=1e3", "page=%00"}) {
            HttpResponse<String> page = admin("GET", "/ui/tokens?" + query, null, "Accept", BROWSER_ACCEPT);
            assertThat(page.statusCode()).as(query).isEqualTo(400);
            assertThat(page.body()).as(query).contains("Bad Request").doesNotContain("<script>alert").doesNotContain("xxxxxxxx");
        }
        assertThat(admin("GET", "/ui/tokens?page=2&status=", null).statusCode()).isEqualTo(200);
        assertThat(admin("GET", "/ui/tokens?unknown=%3Cb%3E", null).statusCode()).isEqualTo(200);
        for (String id : new String[] {"abc", "0", "-1", "99999999999999999999", "1.5", "%3Cscript%3E"}) {
            for (String path : new String[] {"/ui/tokens/" + id, "/ui/tokens/" + id + "/image"}) {
                HttpResponse<String> page = admin("GET", path, null, "Accept", BROWSER_ACCEPT);
                assertThat(page.statusCode()).as(path).isEqualTo(400);
                assertThat(page.body()).as(path).doesNotContain("<script>");
            }
            assertThat(admin("POST", "/ui/tokens/" + id + "/retry", null).statusCode()).as(id).isEqualTo(400);
        }
        HttpResponse<String> missing = admin("GET", "/ui/tokens/424242", null, "Accept", BROWSER_ACCEPT);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("There is no token 424242.");
        assertThat(admin("GET", "/ui/tokens/424242/image", null).statusCode()).isEqualTo(404);
        assertThat(admin("POST", "/ui/tokens/424242/retry", null).statusCode()).isEqualTo(404);
    }

    @Test
    void theListIsNewestFirstInPagesThatKeepTheFilter() {
        long author = author("0xC0C0000000000000000000000000000000000777", "many");
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status) SELECT id, ?, 'revealed' FROM generate_series(1, 28) id",
                author);
        jdbc.update("UPDATE tokens_s0 SET status = 'failed', failed_stage = 'generation' WHERE token_id IN (3, 5)");

        String first = admin("GET", "/ui/tokens", null).body();
        assertThat(rowKeys(first)).hasSize(TokenPages.PAGE_SIZE).startsWith("28", "27").endsWith("4");
        assertThat(first).contains("Page 1 of 2 · 28 tokens").contains("href=\"/ui/tokens?status=&amp;page=2\"");
        assertThat(rowKeys(admin("GET", "/ui/tokens?page=2", null).body())).containsExactly("3", "2", "1");
        String failed = admin("GET", "/ui/tokens?status=failed", null).body();
        assertThat(rowKeys(failed)).containsExactly("5", "3");
        assertThat(failed).contains("Page 1 of 1 · 2 tokens");
        String revealed = admin("GET", "/ui/tokens?status=revealed&page=2", null).body();
        assertThat(rowKeys(revealed)).containsExactly("1");
        assertThat(revealed).contains("href=\"/ui/tokens?status=revealed&amp;page=1\"");
        // past the end: an empty page that says so, not an error
        assertThat(admin("GET", "/ui/tokens?page=9", null).body()).contains("Nothing on this page");
    }

    private static List<String> rowKeys(String page) {
        return Pattern.compile("<tr data-key=\"(\\d+)\"").matcher(page).results().map(match -> match.group(1)).toList();
    }

    @Test
    void textFromProvidersIsShownEscaped() {
        failed(900_010, "generation", HOSTILE_ERROR);

        for (String path : new String[] {"/ui/tokens", "/ui/tokens?status=failed", "/ui/tokens/900010"}) {
            HttpResponse<String> page = admin("GET", path, null);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.body()).as(path).contains("&lt;script&gt;window.__pwned = 1&lt;/script&gt;")
                    .doesNotContain("<script>window").doesNotContain("<img src=x");
            assertThat(page.headers().firstValue("Content-Security-Policy")).as(path).hasValue(ConsoleHeaders.POLICY);
        }
    }

    @Test
    void theViewerReadsThePagesButARetryIsRefused() {
        failed(900_011, "ipfs", "Pinata answered HTTP 503");

        assertThat(viewer("GET", "/ui/tokens/900011").body()).doesNotContain("id=\"retry\"")
                .contains("The admin can retry this token.");
        assertThat(admin("GET", "/ui/tokens/900011", null).body()).contains("id=\"retry\"");
        assertThat(viewer("POST", "/ui/tokens/900011/retry").statusCode()).isEqualTo(403);
        assertThat(status(900_011)).isEqualTo("failed");
        assertThat(retriedBy(900_011)).isEmpty();
        // the admin's retry goes through, and back to the token's page
        HttpResponse<String> retried = admin("POST", "/ui/tokens/900011/retry", null);
        assertThat(retried.statusCode()).isEqualTo(302);
        assertThat(retried.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/ui/tokens/900011"));
        assertThat(retriedBy(900_011)).containsExactly(ADMIN_USER);
        // a token with nothing to retry stays as it is (its page says why)
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status) SELECT 900012, author_id, 'revealed' FROM tokens_s0 "
                + "WHERE token_id = 900011");
        assertThat(admin("POST", "/ui/tokens/900012/retry", null).statusCode()).isEqualTo(302);
        assertThat(retriedBy(900_012)).isEmpty();
        assertThat(status(900_012)).isEqualTo("revealed");
    }

    private List<String> retriedBy(long tokenId) {
        return jdbc.queryForList("SELECT detail->>'by' FROM token_events WHERE token_id = ? AND event = 'retried'",
                String.class, tokenId);
    }

    @Test
    void aThumbnailIsTheKeptImageOrThePinnedOneThroughTheGateway() throws IOException {
        // kept: generation's bytes, not pinned yet
        failed(900_020, "ipfs", "Pinata answered HTTP 503");
        byte[] png = png();
        jdbc.update("INSERT INTO token_images (token_id, content_type, bytes) VALUES (?, 'image/png', ?)", 900_020, png);

        HttpResponse<byte[]> kept = image("/ui/tokens/900020/image");
        assertThat(kept.statusCode()).isEqualTo(200);
        assertThat(kept.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(kept.body()).isEqualTo(png);
        String etag = kept.headers().firstValue("ETag").orElseThrow();
        assertThat(image("/ui/tokens/900020/image", "If-None-Match", etag).statusCode()).isEqualTo(304);

        // pinned: the kept bytes are gone, the gateway has them
        detected(900_021, author("0xC0C0000000000000000000000000000000090021", "a quiet harbour"));
        Map<String, Object> ready = awaitStatus(900_021, "ready");
        HttpResponse<byte[]> pinned = image("/ui/tokens/900021/image");
        assertThat(pinned.statusCode()).isEqualTo(200);
        assertThat(pinned.headers().firstValue("Content-Type")).hasValue("image/webp");
        assertThat(pinned.body()).isEqualTo(pinata.pinned((String) ready.get("image_cid")).orElseThrow().bytes());
        assertThat(pinned.headers().firstValue("ETag")).hasValue("\"" + ready.get("image_cid") + "\"");

        // a CID the gateway does not have, or one that would change the gateway URL's path: no image, nothing fetched
        jdbc.update("UPDATE tokens_s0 SET image_cid = 'bafkreiaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' WHERE token_id = 900021");
        assertThat(image("/ui/tokens/900021/image").statusCode()).isEqualTo(502);
        jdbc.update("UPDATE tokens_s0 SET image_cid = '../../actuator/prometheus' WHERE token_id = 900021");
        assertThat(image("/ui/tokens/900021/image").statusCode()).isEqualTo(502);
        // no image at all yet
        failed(900_022, "generation", "Replicate answered HTTP 500");
        assertThat(image("/ui/tokens/900022/image").statusCode()).isEqualTo(404);
    }

    @Test
    void avatarPagesRefuseMalformedRequestsWithoutEchoingThem() {
        String taskId = order(10, 4, "Chess players in Oslo", "English");
        for (String id : new String[] {"zzzzzzzz", "%3Cscript%3E", "99999999999999999999", "0", "deadbeef0", "DEADBEEF"}) {
            HttpResponse<String> page = admin("GET", "/ui/avatar/" + id, null, "Accept", BROWSER_ACCEPT);
            assertThat(page.statusCode()).as(id).isEqualTo(404);
            assertThat(page.body()).as(id).contains("There is no avatar data set with this id.").doesNotContain("<script>");
            assertThat(admin("POST", "/ui/avatar/" + id + "/cancel", null).statusCode()).as(id).isEqualTo(404);
            assertThat(admin("POST", "/ui/avatar/" + id + "/retry", null).statusCode()).as(id).isEqualTo(404);
        }
        for (String query : new String[] {"page=0", "page=-1", "page=abc", "page=100001", "page=99999999999999999999"}) {
            assertThat(admin("GET", "/ui/avatar/?" + query, null).statusCode()).as(query).isEqualTo(400);
            assertThat(admin("GET", "/ui/avatar/" + taskId + "?" + query, null).statusCode()).as(query).isEqualTo(400);
        }
        // the numeric key names the task as well as its public id; past the last page is an empty page
        assertThat(admin("GET", "/ui/avatar/1?page=9", null).body()).contains("<h1>Data set <span class=\"mono\">" + taskId);
        assertThat(admin("GET", "/ui/avatar/?page=9", null).body()).contains("Nothing on this page");
    }

    @Test
    void aHostileOrderIsRefusedFieldByFieldWithItsValuesShownAsText() {
        HttpResponse<String> refused = admin("POST", "/ui/avatar/new", form("personaCount", "<script>alert(1)</script>",
                        "imagesPerPersona", "7", "personaDescription", "", "bioLanguage", "<b>English</b>", "status", "completed"),
                "Content-Type", FORM);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("4 fields need a change").contains("Must be a whole number")
                .contains("Must be one of 4, 8, 12, 16 and 20").contains("Must be 1 to 2000 characters, not blank")
                .contains("Must be a language&#39;s name")
                .contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"").contains("&lt;b&gt;English&lt;/b&gt;")
                .doesNotContain("<script>alert").doesNotContain("<b>English");
        assertThat(refused.headers().firstValue("Content-Security-Policy")).hasValue(ConsoleHeaders.POLICY);
        // missing fields, numbers past an int, a description of 2001 characters counted as the reader sees them
        String lineBreaks = "a\r\n".repeat(999) + "ab";
        assertThat(admin("POST", "/ui/avatar/new", form("personaCount", "99999999999999999999"), "Content-Type", FORM).body())
                .contains("Must be a whole number").contains("imagesPerPersona-error").contains("bioLanguage-error");
        assertThat(admin("POST", "/ui/avatar/new", form("personaCount", "10", "imagesPerPersona", "4", "personaDescription",
                lineBreaks + "c", "bioLanguage", "English"), "Content-Type", FORM).statusCode()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM avatar_tasks", Long.class)).isZero();

        // the same form sent twice (a double click) is one task
        byte[] order = form("personaCount", "10", "imagesPerPersona", "4", "personaDescription", lineBreaks,
                "bioLanguage", "English", "requestKey", "0b9f3c1e-5a7d-4c2b-9e8f-1a2b3c4d5e6f");
        HttpResponse<String> made = admin("POST", "/ui/avatar/new", order, "Content-Type", FORM);
        HttpResponse<String> again = admin("POST", "/ui/avatar/new", order, "Content-Type", FORM);
        assertThat(made.statusCode()).isEqualTo(302);
        assertThat(again.headers().firstValue("Location")).isEqualTo(made.headers().firstValue("Location"));
        assertThat(jdbc.queryForMap("SELECT count(*) AS tasks, max(char_length(persona_description)) AS chars FROM avatar_tasks"))
                .containsEntry("tasks", 1L).containsEntry("chars", 2000);
    }

    @Test
    void theViewerReadsTheAvatarPagesButCannotOrderCancelOrRetry() {
        String taskId = order(10, 4, "Sailors of the Baltic", "English");
        assertThat(viewer("GET", "/ui/avatar/").body()).contains(taskId).doesNotContain("id=\"order\"");
        assertThat(viewer("GET", "/ui/avatar/new").body()).contains("This needs the admin account").doesNotContain("id=\"task-form\"");
        assertThat(viewer("GET", "/ui/avatar/" + taskId).body()).contains("Sailors of the Baltic").doesNotContain("id=\"cancel\"");
        assertThat(admin("GET", "/ui/avatar/" + taskId, null).body()).contains("id=\"cancel\"");
        for (String path : new String[] {"/ui/avatar/new", "/ui/avatar/" + taskId + "/cancel", "/ui/avatar/" + taskId + "/retry"}) {
            assertThat(viewer("POST", path).statusCode()).as(path).isEqualTo(403);
            assertThat(http("POST", path, null).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM avatar_tasks WHERE cancel_requested_at IS NULL", Long.class)).isOne();
    }

    @Test
    void aPersonasPhotosComeThroughTheConsoleWithCachingHeaders() throws IOException {
        String taskId = order(10, 4, "Surfers in Lisbon", "English");
        awaitAvatarStatus(taskId, "completed");
        long persona = jdbc.queryForObject("SELECT min(persona_key) FROM avatar_personas", Long.class);
        String photos = "/ui/avatar/" + taskId + "/personas/" + persona + "/";

        HttpResponse<byte[]> thumbnail = image(photos + "thumb_base.png");
        assertThat(thumbnail.statusCode()).isEqualTo(200);
        assertThat(thumbnail.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(thumbnail.headers().firstValue("Cache-Control")).hasValue("max-age=86400, private, immutable");
        assertThat(ImageIO.read(new ByteArrayInputStream(thumbnail.body())).getWidth()).isBetween(1, 256);
        assertThat(ImageIO.read(new ByteArrayInputStream(image(photos + "base.png").body())).getWidth()).isEqualTo(384);
        for (String file : new String[] {"image_0.png", "thumb_0.png", "image_3.png", "thumb_3.png"}) {
            assertThat(image(photos + file).statusCode()).as(file).isEqualTo(200);
        }
        // nothing but the persona's own photos of this task
        for (String file : new String[] {"image_4.png", "thumb_19.png", "image_100.png", "base.jpg", "grid_0.png", "..%2Fbase.png",
                "thumb_-1.png", "%2E%2E"}) {
            assertThat(image(photos + file).statusCode()).as(file).isIn(400, 404);
        }
        String other = order(10, 4, "Divers in Malta", "English");
        assertThat(image("/ui/avatar/" + other + "/personas/" + persona + "/base.png").statusCode()).isEqualTo(404);
        assertThat(image("/ui/avatar/" + taskId + "/personas/999999/base.png").statusCode()).isEqualTo(404);
        // the viewer sees them too; nobody else
        HttpResponse<String> asViewer = viewer("GET", photos + "thumb_base.png");
        assertThat(asViewer.statusCode()).isEqualTo(200);
        assertThat(http("GET", photos + "thumb_base.png", null).statusCode()).isEqualTo(401);
    }

    /** An application/x-www-form-urlencoded body of name, value pairs. */
    private static byte[] form(String... pairs) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A thumbnail's bytes as the admin's browser gets them. */
    private HttpResponse<byte[]> image(String path, String... headers) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", basic(ADMIN_USER, ADMIN_PASSWORD));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, 0x3b3fc4);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}

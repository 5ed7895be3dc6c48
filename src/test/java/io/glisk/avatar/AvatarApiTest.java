package io.glisk.avatar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The avatar API: submissions checked field by field, tasks read, cancelled, retried, deleted and exported. */
class AvatarApiTest extends AvatarTest {

    static final String VALID = "{\"personaCount\": 10, \"imagesPerPersona\": 4, "
            + "\"personaDescription\": \"Nurses in Texas\", \"bioLanguage\": \"English\"}";
    final ObjectMapper json = new ObjectMapper();
    @Autowired
    CamelContext camel;

    @AfterEach
    void stageRunsAgain() throws Exception {
        camel.getRouteController().startRoute("avatar");
    }

    @Test
    void aSubmissionIsAnsweredWithItsIdsAndWaitsForTheStage() throws Exception {
        camel.getRouteController().stopRoute("avatar");

        HttpResponse<String> answer = post("/api/avatar/tasks", VALID);

        assertThat(answer.statusCode()).isEqualTo(201);
        JsonNode task = json.readTree(answer.body());
        assertThat(task.get("taskId").asText()).matches("[0-9a-f]{8}");
        assertThat(task.get("status").asText()).isEqualTo("pending");
        assertThat(answer.headers().firstValue("Location")).contains("/api/avatar/tasks/" + task.get("id").asLong());
        JsonNode byShortId = get("/api/avatar/tasks/" + task.get("taskId").asText());
        assertThat(byShortId.get("id").asLong()).isEqualTo(task.get("id").asLong());
        assertThat(byShortId.get("progress").asDouble()).isZero();
        assertThat(byShortId.at("/counts/imagesExpected").asInt()).isEqualTo(40);
        assertThat(byShortId.get("submittedBy").asText()).isEqualTo(ADMIN_USER);
    }

    @Test
    void everyWrongFieldIsRefusedByName() throws Exception {
        camel.getRouteController().stopRoute("avatar");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"imagesPerPersona\": 4, \"personaDescription\": \"x\", \"bioLanguage\": \"English\"}", "personaCount");
        cases.put(VALID.replace("\"personaCount\": 10", "\"personaCount\": 9"), "personaCount");
        cases.put(VALID.replace("\"personaCount\": 10", "\"personaCount\": 301"), "personaCount");
        cases.put(VALID.replace("\"personaCount\": 10", "\"personaCount\": \"10\""), "personaCount");
        cases.put(VALID.replace("\"personaCount\": 10", "\"personaCount\": 10.5"), "personaCount");
        cases.put(VALID.replace("\"personaCount\": 10", "\"personaCount\": 99999999999"), "personaCount");
        cases.put(VALID.replace("\"imagesPerPersona\": 4", "\"imagesPerPersona\": 6"), "imagesPerPersona");
        cases.put(VALID.replace("\"imagesPerPersona\": 4", "\"imagesPerPersona\": null"), "imagesPerPersona");
        cases.put(VALID.replace("\"Nurses in Texas\"", "\"   \""), "personaDescription");
        cases.put(VALID.replace("\"Nurses in Texas\"", "\"" + "x".repeat(2001) + "\""), "personaDescription");
        cases.put(VALID.replace("\"Nurses in Texas\"", "42"), "personaDescription");
        cases.put(VALID.replace("\"Nurses in Texas\"", "\"a\\u0000b\""), "personaDescription");
        cases.put(VALID.replace("\"Nurses in Texas\"", "\"lone \\ud800 surrogate\""), "personaDescription");
        cases.put(VALID.replace("\"English\"", "\"English'); DROP TABLE avatar_tasks; --\""), "bioLanguage");
        cases.put(VALID.replace("\"English\"", "\"<script>alert(1)</script>\""), "bioLanguage");
        cases.put(VALID.replace("\"English\"", "\"\""), "bioLanguage");
        cases.put(VALID.replace("}", ", \"priority\": 1}"), "priority");

        for (Map.Entry<String, String> wrong : cases.entrySet()) {
            HttpResponse<String> answer = post("/api/avatar/tasks", wrong.getKey());
            assertThat(answer.statusCode()).as(wrong.getKey()).isEqualTo(400);
            JsonNode error = json.readTree(answer.body());
            assertThat(error.get("field").asText()).as(wrong.getKey()).isEqualTo(wrong.getValue());
            assertThat(error.get("error").asText()).as(wrong.getKey()).isNotBlank().doesNotContain("DROP TABLE");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM avatar_tasks", Long.class)).isZero();
    }

    @Test
    void malformedOversizedAndAmbiguousBodiesAreRefusedWhole() throws Exception {
        camel.getRouteController().stopRoute("avatar");

        assertThat(post("/api/avatar/tasks", "{\"personaCount\": 10,").statusCode()).isEqualTo(400);
        assertThat(post("/api/avatar/tasks", "[1, 2]").statusCode()).isEqualTo(400);
        assertThat(post("/api/avatar/tasks", "").statusCode()).isEqualTo(400);
        assertThat(post("/api/avatar/tasks", VALID + " {}").statusCode()).isEqualTo(400);
        HttpResponse<String> twice = post("/api/avatar/tasks", VALID.replace("}", ", \"personaCount\": 300}"));
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("more than once");
        String huge = VALID.replace("\"Nurses in Texas\"", "\"" + "x".repeat(70_000) + "\"");
        assertThat(post("/api/avatar/tasks", huge).statusCode()).isEqualTo(413);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM avatar_tasks", Long.class)).isZero();
    }

    @Test
    void hostileTextIsStoredAsSentAndNeverInterpreted() throws Exception {
        camel.getRouteController().stopRoute("avatar");
        String description = "Robert'); DROP TABLE avatar_tasks; -- \"quoted\" <b>bold</b> ${jndi:ldap://x} 你好 🙂";

        HttpResponse<String> answer = post("/api/avatar/tasks", json.writeValueAsString(Map.of("personaCount", 10,
                "imagesPerPersona", 4, "personaDescription", description, "bioLanguage", "Chinese (Mandarin)")));

        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT persona_description FROM avatar_tasks", String.class)).isEqualTo(description);
        assertThat(jdbc.queryForObject("SELECT bio_language FROM avatar_tasks", String.class)).isEqualTo("Chinese (Mandarin)");
    }

    @Test
    void theSameSubmissionSentTwiceWithItsIdempotencyKeyIsOneTask() throws Exception {
        camel.getRouteController().stopRoute("avatar");

        HttpResponse<String> first = post("/api/avatar/tasks", VALID, "Idempotency-Key", "form-7f3a");
        HttpResponse<String> again = post("/api/avatar/tasks", VALID, "Idempotency-Key", "form-7f3a");
        HttpResponse<String> other = post("/api/avatar/tasks", VALID, "Idempotency-Key", "form-8b4c");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json.readTree(again.body()).get("id")).isEqualTo(json.readTree(first.body()).get("id"));
        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM avatar_tasks", Long.class)).isEqualTo(2);
        assertThat(post("/api/avatar/tasks", VALID, "Idempotency-Key", "with space").statusCode()).isEqualTo(400);
    }

    @Test
    void tasksAreListedNewestFirstAndPaged() throws Exception {
        camel.getRouteController().stopRoute("avatar");
        for (int i = 0; i < 3; i++) {
            assertThat(post("/api/avatar/tasks", VALID).statusCode()).isEqualTo(201);
        }

        JsonNode page = get("/api/avatar/tasks?page=0&size=2");

        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(page.get("tasks")).hasSize(2);
        assertThat(page.get("tasks").get(0).get("id").asLong()).isGreaterThan(page.get("tasks").get(1).get("id").asLong());
        assertThat(get("/api/avatar/tasks?page=1&size=2").get("tasks")).hasSize(1);
        assertThat(admin("GET", "/api/avatar/tasks?size=0", null).statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/api/avatar/tasks?page=x", null).statusCode()).isEqualTo(400);
        assertThat(admin("GET", "/api/avatar/tasks/ffffffff", null).statusCode()).isEqualTo(404);
        assertThat(admin("GET", "/api/avatar/tasks/..%2F..%2Fetc", null).statusCode()).isIn(400, 404);
    }

    @Test
    void theApiNeedsTheAdminsCredentials() {
        assertThat(http("GET", "/api/avatar/tasks", null).statusCode()).isEqualTo(401);
        assertThat(http("POST", "/api/avatar/tasks", VALID.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json").statusCode()).isEqualTo(401);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM avatar_tasks", Long.class)).isZero();
    }

    @Test
    void aWaitingTaskIsCancelledAtOnceAndAFinishedOneCannotBe() throws Exception {
        camel.getRouteController().stopRoute("avatar");
        long id = json.readTree(post("/api/avatar/tasks", VALID).body()).get("id").asLong();

        HttpResponse<String> cancelled = post("/api/avatar/tasks/" + id + "/cancel", "");

        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(json.readTree(cancelled.body()).get("status").asText()).isEqualTo("cancelled");
        assertThat(post("/api/avatar/tasks/" + id + "/cancel", "").statusCode()).isEqualTo(409);
        camel.getRouteController().startRoute("avatar");
        Thread.sleep(1500);
        assertThat(taskStatus(id)).isEqualTo("cancelled");
        assertThat(flowise.personaCalls()).isZero();
    }

    @Test
    void aCompletedTaskIsExportedFromTheBucketAndDeletedWithItsPictures() throws Exception {
        long id = json.readTree(post("/api/avatar/tasks", VALID).body()).get("id").asLong();
        awaitTask(id, "completed", Duration.ofSeconds(60));
        int generations = openai.generationsMade();
        int edits = openai.editsMade();
        List<Map<String, Object>> personas = personas(id);

        JsonNode exported = json.readTree(admin("GET", "/api/avatar/tasks/" + id + "/export.json", null).body());
        assertThat(exported.at("/task/status").asText()).isEqualTo("completed");
        assertThat(exported.get("personas")).hasSize(10);
        assertThat(exported.get("personas").get(0).get("imageUrls")).hasSize(4);
        assertThat(exported.get("personas").get(0).at("/bios/facebook").asText()).isNotBlank();

        HttpResponse<String> csv = admin("GET", "/api/avatar/tasks/" + id + "/export.csv", null);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        // records end with CRLF; a bio may hold a line break of its own, inside its quotes
        List<String> lines = List.of(csv.body().split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("persona_id,firstname,lastname,gender,ethnicity,age,job_title,workplace,"
                + "edu_establishment,edu_study,current_city,current_state,prev_city,prev_state,about,facebook_bio,"
                + "instagram_bio,x_bio,tiktok_bio,base_image_url,image_1,image_2,image_3,image_4");
        assertThat(lines).hasSize(11);
        assertThat(lines.get(1)).contains((String) personas.get(0).get("base_image_url"));

        Map<String, byte[]> zip = unzip(id);
        String folder = "profiles/" + personas.get(0).get("firstname") + "_" + personas.get(0).get("lastname") + "/";
        assertThat(zip).containsKey(folder + "details.json");
        assertThat(zip.keySet()).filteredOn(name -> name.endsWith("details.json")).hasSize(10);
        assertThat(zip.keySet()).filteredOn(name -> name.matches("profiles/[^/]+/images/[1-4]\\.png")).hasSize(40);
        byte[] first = zip.get(folder + "images/1.png");
        String key = jdbc.queryForObject("SELECT s3_key FROM avatar_images WHERE persona_key = ? AND n = 0", String.class,
                personas.get(0).get("persona_key"));
        try (var stored = storage.open(key).orElseThrow()) {
            assertThat(first).isEqualTo(stored.readAllBytes());
        }
        assertThat(json.readTree(zip.get(folder + "details.json")).get("firstname").asText())
                .isEqualTo(personas.get(0).get("firstname"));
        // exported from storage, never made again
        assertThat(openai.generationsMade()).isEqualTo(generations);
        assertThat(openai.editsMade()).isEqualTo(edits);

        assertThat(admin("DELETE", "/api/avatar/tasks/" + id, null).statusCode()).isEqualTo(204);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM avatar_personas", Long.class)).isZero();
        assertThat(storage.exists(key)).isFalse();
        assertThat(storage.exists(AvatarKeys.base(id, ((Number) personas.get(0).get("persona_key")).longValue()))).isFalse();
        assertThat(admin("GET", "/api/avatar/tasks/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyCompletedTasksAreExportedAndOnlyFinishedOnesDeleted() throws Exception {
        camel.getRouteController().stopRoute("avatar");
        long id = json.readTree(post("/api/avatar/tasks", VALID).body()).get("id").asLong();

        assertThat(admin("GET", "/api/avatar/tasks/" + id + "/export.zip", null).statusCode()).isEqualTo(409);
        assertThat(admin("DELETE", "/api/avatar/tasks/" + id, null).statusCode()).isEqualTo(409);
        assertThat(post("/api/avatar/tasks/" + id + "/retry", "").statusCode()).isEqualTo(409);
        assertThat(taskStatus(id)).isEqualTo("pending");
    }

    @Test
    void csvCellsThatASpreadsheetWouldRunAreDefused() {
        assertThat(AvatarExports.cell("=HYPERLINK(\"http://evil\")")).isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\")\"");
        assertThat(AvatarExports.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(AvatarExports.cell("line one\nline two")).isEqualTo("\"line one\nline two\"");
        assertThat(AvatarExports.cell("plain")).isEqualTo("plain");
        java.util.Set<String> taken = new java.util.HashSet<>();
        assertThat(AvatarExports.folder(Map.of("firstname", "Chloé", "lastname", "../../etc"), taken))
                .isEqualTo("profiles/Chloe_etc/");
        assertThat(AvatarExports.folder(Map.of("firstname", "Chloé", "lastname", "../../etc"), taken))
                .isEqualTo("profiles/Chloe_etc_2/");
    }

    private Map<String, byte[]> unzip(long id) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/avatar/tasks/" + id + "/export.zip"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (ADMIN_USER + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains("application/zip");
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(answer.body()), StandardCharsets.UTF_8)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    private HttpResponse<String> post(String path, String body, String... headers) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Content-Type";
        all[headers.length + 1] = "application/json";
        return admin("POST", path, body.getBytes(StandardCharsets.UTF_8), all);
    }

    private JsonNode get(String path) throws IOException {
        HttpResponse<String> answer = admin("GET", path, null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json.readTree(answer.body());
    }
}

package io.glisk.authors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.support.PipelineTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** The author API over real HTTP, signed by freshly generated wallets as a wallet UI would. */
@ExtendWith(OutputCaptureExtension.class)
class AuthorPromptApiTest extends PipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Value("${server.port}")
    int port;

    // the base class empties the pipeline's tables, not this one
    // ---- the happy path

    @Test
    void signedPromptIsSetAndTheLookupSaysSoWithoutShowingIt() throws Exception {
        Wallet wallet = Wallet.create();
        assertThat(get(wallet.address).statusCode()).isEqualTo(404);

        HttpResponse<String> set = post(wallet.signed("A lighthouse in a storm, oil on canvas"));

        assertThat(set.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(set.body());
        assertThat(answer.get("wallet").asText()).isEqualTo(wallet.address.toLowerCase());
        assertThat(answer.get("hasPrompt").asBoolean()).isTrue();
        assertThat(Instant.parse(answer.get("updatedAt").asText())).isCloseTo(Instant.now(), within(10, ChronoUnit.SECONDS));
        assertThat(set.body()).doesNotContain("lighthouse");

        HttpResponse<String> lookup = get(wallet.address);
        assertThat(lookup.statusCode()).isEqualTo(200);
        assertThat(lookup.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        JsonNode author = JSON.readTree(lookup.body());
        assertThat(author.get("wallet").asText()).isEqualTo(wallet.address.toLowerCase());
        assertThat(author.get("hasPrompt").asBoolean()).isTrue();
        assertThat(author.has("updatedAt")).isTrue();
        assertThat(lookup.body()).doesNotContain("lighthouse");
        assertThat(storedPrompt(wallet)).isEqualTo("A lighthouse in a storm, oil on canvas");
    }

    @Test
    void knownAuthorWithoutPromptIsReportedAsSuch() throws Exception {
        Wallet wallet = Wallet.create();
        author(wallet.address, null);

        JsonNode author = JSON.readTree(get(wallet.address).body());

        assertThat(author.get("hasPrompt").asBoolean()).isFalse();
    }

    @Test
    void promptIsStoredByteForByteWhateverItContains() throws Exception {
        Wallet wallet = Wallet.create();
        String future = Instant.now().plus(1, ChronoUnit.HOURS).toString();
        String prompt = "He said \"hi\" & 'bye' 🎨🚀👩‍🎨 '); DROP TABLE authors; -- ${body} {{glisk.mode}} \\n\\u0000 "
                + "ünïcödé 中文 العربية\ttab\r\nline two\nNonce: forged-nonce-1\nExpires: " + future
                + "\nWallet: 0x0000000000000000000000000000000000000000\nPrompt: inner\n";

        HttpResponse<String> set = post(wallet.signed(prompt));

        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(storedPrompt(wallet)).isEqualTo(prompt);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM authors", Integer.class)).isEqualTo(1);
    }

    @Test
    void thousandCharactersCountedAsCodePointsAreAccepted() throws Exception {
        Wallet wallet = Wallet.create();
        String prompt = "🎨".repeat(1000);

        assertThat(post(wallet.signed(prompt)).statusCode()).isEqualTo(200);
        assertThat(storedPrompt(wallet)).isEqualTo(prompt);
    }

    @Test
    void vAsZeroOrOneIsAcceptedLikeTwentySevenOrTwentyEight() throws Exception {
        Wallet wallet = Wallet.create();
        Map<String, Object> request = wallet.signed("v as 0/1");
        String signature = (String) request.get("signature");
        int v = Integer.parseInt(signature.substring(130), 16);
        request.put("signature", signature.substring(0, 130) + String.format("%02x", v - 27));

        assertThat(post(request).statusCode()).isEqualTo(200);
    }

    @Test
    void storedPromptIsTheOneGenerationUses() throws Exception {
        Wallet wallet = Wallet.create();
        String prompt = "Émile's \"glass\" garden 🌿 at dusk";
        assertThat(post(wallet.signed(prompt)).statusCode()).isEqualTo(200);
        long authorId = jdbc.queryForObject("SELECT author_id FROM authors WHERE wallet_address = ?", Long.class,
                wallet.address);

        detected(1, authorId);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> Set.of("uploading", "ready").contains(status(1)));
        assertThat(replicate.predictionsByPrompt()).containsExactlyEntriesOf(Map.of(prompt, 1));
    }

    // ---- who may set it

    @Test
    void signatureOfAnotherWalletIsRefused() throws Exception {
        Wallet wallet = Wallet.create();
        Wallet other = Wallet.create();
        Map<String, Object> request = wallet.signed("not yours");
        request.put("signature", other.sign(wallet.message(request)));

        HttpResponse<String> answer = post(request);

        assertThat(answer.statusCode()).isEqualTo(401);
        String error = error(answer);
        // a wallet UI can build the message from the error alone
        assertThat(error).contains("personal_sign").contains("GLISK prompt\\nWallet: <wallet, lower-case>\\nNonce: <nonce>"
                + "\\nExpires: <expiresAt, as sent>\\nPrompt: <prompt>");
        assertThat(answer.body()).doesNotContain("not yours").doesNotContain(((String) request.get("signature")).substring(2));
        assertThat(get(wallet.address).statusCode()).isEqualTo(404);
    }

    @Test
    void anyChangeToASignedRequestIsRefused() throws Exception {
        Wallet wallet = Wallet.create();
        Map<String, Object> original = wallet.signed("the original prompt");

        Map<String, Object> prompt = new LinkedHashMap<>(original);
        prompt.put("prompt", "the original prompt!");
        Map<String, Object> nonce = new LinkedHashMap<>(original);
        nonce.put("nonce", original.get("nonce") + "x");
        Map<String, Object> expiry = new LinkedHashMap<>(original);
        expiry.put("expiresAt", Instant.parse((String) original.get("expiresAt")).plusSeconds(1).toString());
        // the same instant written differently is another message
        Map<String, Object> spelling = new LinkedHashMap<>(original);
        spelling.put("expiresAt", ((String) original.get("expiresAt")).replace("Z", ".000Z"));
        Map<String, Object> otherWallet = new LinkedHashMap<>(original);
        otherWallet.put("wallet", Wallet.create().address);

        for (Map<String, Object> tampered : List.of(prompt, nonce, expiry, spelling, otherWallet)) {
            assertThat(post(tampered).statusCode()).as(tampered.toString()).isEqualTo(401);
        }
        assertThat(get(wallet.address).statusCode()).isEqualTo(404);
        assertThat(post(original).statusCode()).isEqualTo(200);
    }

    @Test
    void messageCarriesTheWalletInLowerCase() throws Exception {
        Wallet wallet = Wallet.create();
        Map<String, Object> request = wallet.signed("checksummed");
        String checksummedMessage = wallet.message(request).replace(wallet.address, Keys.toChecksumAddress(wallet.address));
        assertThat(checksummedMessage).isNotEqualTo(wallet.message(request));
        request.put("signature", wallet.sign(checksummedMessage));

        assertThat(post(request).statusCode()).isEqualTo(401);
    }

    @Test
    void replayedRequestIsRefusedAndChangesNothing() throws Exception {
        Wallet wallet = Wallet.create();
        Map<String, Object> first = wallet.signed("first prompt");
        assertThat(post(first).statusCode()).isEqualTo(200);
        assertThat(post(wallet.signed("second prompt")).statusCode()).isEqualTo(200);

        HttpResponse<String> replay = post(first);

        assertThat(replay.statusCode()).isEqualTo(409);
        assertThat(error(replay)).contains("nonce already used");
        assertThat(storedPrompt(wallet)).isEqualTo("second prompt");
    }

    @Test
    void concurrentCopiesOfOneRequestSucceedOnce() throws Exception {
        Wallet wallet = Wallet.create();
        String body = JSON.writeValueAsString(wallet.signed("raced"));
        List<CompletableFuture<HttpResponse<String>>> copies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            copies.add(http.sendAsync(postRequest(BodyPublishers.ofString(body)), BodyHandlers.ofString()));
        }

        List<Integer> statuses = copies.stream().map(c -> c.join().statusCode()).sorted().toList();

        assertThat(statuses).containsExactly(200, 409, 409, 409, 409, 409, 409, 409);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM author_prompt_nonces", Integer.class)).isEqualTo(1);
    }

    @Test
    void nonceIsPerWallet() throws Exception {
        Wallet one = Wallet.create();
        Wallet two = Wallet.create();
        String nonce = "shared-nonce-123";
        String expires = Instant.now().plus(1, ChronoUnit.HOURS).toString();

        assertThat(post(one.signed("one", nonce, expires)).statusCode()).isEqualTo(200);
        assertThat(post(two.signed("two", nonce, expires)).statusCode()).isEqualTo(200);
    }

    // ---- expiry

    @Test
    void expiredOrTooDistantExpiryIsRefused() throws Exception {
        Wallet wallet = Wallet.create();
        Instant now = Instant.now();

        HttpResponse<String> expired = post(wallet.signed("late", nonce(), now.minusSeconds(1).toString()));
        HttpResponse<String> tooFar = post(wallet.signed("early", nonce(), now.plus(Duration.ofHours(24)).plusSeconds(60).toString()));
        HttpResponse<String> notUtc = post(wallet.signed("zone", nonce(), "2030-01-01T12:00:00+01:00"));
        HttpResponse<String> noSuchDay = post(wallet.signed("zone", nonce(), "2030-02-30T12:00:00Z"));

        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(error(expired)).contains("expiresAt has passed");
        assertThat(tooFar.statusCode()).isEqualTo(400);
        assertThat(error(tooFar)).contains("at most 24 hours ahead");
        assertThat(notUtc.statusCode()).isEqualTo(400);
        assertThat(error(notUtc)).contains("ISO-8601 UTC instant");
        assertThat(noSuchDay.statusCode()).isEqualTo(400);
        assertThat(get(wallet.address).statusCode()).isEqualTo(404);
        // JavaScript's Date.toISOString() form, milliseconds included, is accepted as sent
        String js = now.plus(Duration.ofHours(23)).truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", ".000Z");
        assertThat(post(wallet.signed("in time", nonce(), js)).statusCode()).isEqualTo(200);
    }

    @Test
    void expiredNoncesAreForgottenWhenNewOnesAreRecorded() throws Exception {
        jdbc.update("INSERT INTO author_prompt_nonces (wallet_address, nonce, expires_at) "
                + "SELECT '0x' || lpad(to_hex(g), 40, '0'), 'old-nonce-' || g, now() - interval '2 hours' "
                + "FROM generate_series(1, 150) g");
        jdbc.update("INSERT INTO author_prompt_nonces (wallet_address, nonce, expires_at) "
                + "VALUES ('0x00000000000000000000000000000000000000ff', 'recently-expired', now() - interval '1 minute'), "
                + "('0x00000000000000000000000000000000000000ff', 'still-valid', now() + interval '1 hour')");

        assertThat(post(Wallet.create().signed("purges 100")).statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM author_prompt_nonces WHERE nonce LIKE 'old-nonce-%'",
                Integer.class)).isEqualTo(50);
        assertThat(post(Wallet.create().signed("purges the rest")).statusCode()).isEqualTo(200);

        // bounded per request; kept for a grace period past expiry; never a nonce that is still valid
        assertThat(jdbc.queryForList("SELECT nonce FROM author_prompt_nonces WHERE nonce NOT LIKE 'n-%' ORDER BY nonce",
                String.class)).containsExactly("recently-expired", "still-valid");
    }

    // ---- prompt rules

    @Test
    void promptsGenerationWouldRefuseAreRefused() throws Exception {
        Wallet wallet = Wallet.create();

        HttpResponse<String> blank = post(wallet.signed(" \t\n "));
        HttpResponse<String> empty = post(wallet.signed(""));
        HttpResponse<String> tooLong = post(wallet.signed("x".repeat(1001)));
        HttpResponse<String> nul = post(wallet.signed("a\u0000b"));

        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(error(blank)).isEqualTo("Prompt validation failed: prompt is blank");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(error(empty)).isEqualTo("Prompt validation failed: prompt is blank");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(error(tooLong)).isEqualTo("Prompt validation failed: prompt is 1001 characters long, the limit is 1000");
        assertThat(tooLong.body()).doesNotContain("xxxxxxxx");
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(error(nul)).startsWith("Prompt validation failed: ");
        assertThat(get(wallet.address).statusCode()).isEqualTo(404);
    }

    @Test
    void unpairedSurrogateIsRefused() throws Exception {
        Wallet wallet = Wallet.create();
        String body = JSON.writeValueAsString(wallet.signed("placeholder")).replace("placeholder", "bad \\ud83c here");

        HttpResponse<String> answer = post(body);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(error(answer)).startsWith("Prompt validation failed: ");
    }

    // ---- bad input

    @Test
    void malformedBodiesGetAClearJsonError() throws Exception {
        Map<String, Object> valid = Wallet.create().signed("fine");
        String validJson = JSON.writeValueAsString(valid);

        assertRefused(post("{\"wallet\": "), 400, "body is not valid JSON");
        assertRefused(post("not json at all"), 400, "body is not valid JSON");
        assertRefused(post(""), 400, "body is empty");
        assertRefused(post("[1, 2]"), 400, "must be a JSON object");
        assertRefused(post("null"), 400, "must be a JSON object");
        assertRefused(post(validJson + " {}"), 400, "body is not valid JSON");
        assertRefused(post(validJson.replace("{", "{\"prompt\": \"sneaky\", ")), 400, "field more than once");
        assertRefused(post(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}), 400, "not valid JSON");
        assertRefused(post("{}"), 400, "missing fields: wallet, prompt, nonce, expiresAt, signature");
        Map<String, Object> noSignature = new LinkedHashMap<>(valid);
        noSignature.remove("signature");
        assertRefused(post(noSignature), 400, "missing field: signature");
        Map<String, Object> nullPrompt = new LinkedHashMap<>(valid);
        nullPrompt.put("prompt", null);
        assertRefused(post(nullPrompt), 400, "missing field: prompt");
        Map<String, Object> numberNonce = new LinkedHashMap<>(valid);
        numberNonce.put("nonce", 12345678);
        assertRefused(post(numberNonce), 400, "field 'nonce' must be a string");
        Map<String, Object> objectPrompt = new LinkedHashMap<>(valid);
        objectPrompt.put("prompt", Map.of("text", "hi"));
        assertRefused(post(objectPrompt), 400, "field 'prompt' must be a string");
        Map<String, Object> numberExpiry = new LinkedHashMap<>(valid);
        numberExpiry.put("expiresAt", Instant.now().plusSeconds(60).getEpochSecond());
        assertRefused(post(numberExpiry), 400, "field 'expiresAt' must be a string");
        Map<String, Object> badWallet = new LinkedHashMap<>(valid);
        badWallet.put("wallet", "0x1234");
        assertRefused(post(badWallet), 400, "wallet must be an address");
        for (String nonce : List.of("short", "x".repeat(129), "has space1", "bad/nonce", "ünïcode-nonce")) {
            Map<String, Object> badNonce = new LinkedHashMap<>(valid);
            badNonce.put("nonce", nonce);
            assertRefused(post(badNonce), 400, "nonce must be 8 to 128 characters");
        }

        // unknown fields are ignored
        Map<String, Object> extra = new LinkedHashMap<>(valid);
        extra.put("chainId", 8453);
        extra.put("comment", Map.of("any", List.of(1, 2)));
        assertThat(post(extra).statusCode()).isEqualTo(200);
    }

    @Test
    void oversizedBodiesAreRefusedWithoutReadingThemWhole() throws Exception {
        Map<String, Object> big = Wallet.create().signed("fine");
        big.put("padding", "p".repeat(BoundedJsonBody.MAX_BYTES));
        byte[] body = JSON.writeValueAsBytes(big);

        assertRefused(post(body), 413, "body larger than 16384 bytes");
        // no Content-Length (chunked): refused after one byte past the limit
        HttpResponse<String> chunked = http.send(postRequest(BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(body))), BodyHandlers.ofString());
        assertRefused(chunked, 413, "body larger than 16384 bytes");
    }

    @Test
    void malformedSignaturesAreRefusedCleanly() throws Exception {
        Wallet wallet = Wallet.create();
        Map<String, Object> valid = wallet.signed("signed");
        String good = (String) valid.get("signature");

        for (String shape : List.of("", "0x", "0x1234", good.substring(2), good.substring(0, 130),
                good + "00", "0x" + "zz".repeat(65), good.substring(0, 130) + "05", good.substring(0, 130) + "25")) {
            Map<String, Object> request = new LinkedHashMap<>(valid);
            request.put("signature", shape);
            assertRefused(post(request), 400, "signature must be 65 bytes");
        }
        // well-formed numbers that are no signature of anything
        for (String numbers : List.of("0x" + "00".repeat(64) + "1b", "0x" + "ff".repeat(64) + "1c",
                "0x" + "ff".repeat(32) + good.substring(66))) {
            Map<String, Object> request = new LinkedHashMap<>(valid);
            request.put("signature", numbers);
            assertThat(post(request).statusCode()).as(numbers).isEqualTo(401);
        }
        assertThat(get(wallet.address).statusCode()).isEqualTo(404);
        assertThat(post(valid).statusCode()).isEqualTo(200);
    }

    // ---- one author per wallet, whatever the case

    @Test
    void walletsInAnyCaseAreOneAuthor() throws Exception {
        Wallet wallet = Wallet.create();
        String checksummed = Keys.toChecksumAddress(wallet.address);
        assertThat(checksummed).isNotEqualTo(wallet.address.toLowerCase());
        // known already, stored checksummed (as a mint event may have created it)
        long authorId = author(checksummed, null);

        assertThat(post(wallet.signedAs(checksummed, "from checksummed")).statusCode()).isEqualTo(200);
        assertThat(post(wallet.signedAs(wallet.address.toUpperCase().replace("0X", "0x"), "from upper")).statusCode())
                .isEqualTo(200);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM authors", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT prompt_text FROM authors WHERE author_id = ?", String.class, authorId))
                .isEqualTo("from upper");
        for (String spelling : List.of(checksummed, wallet.address.toLowerCase(), "0x" + wallet.address.substring(2).toUpperCase())) {
            HttpResponse<String> lookup = get(spelling);
            assertThat(lookup.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(lookup.body()).get("wallet").asText()).isEqualTo(wallet.address.toLowerCase());
        }
    }

    @Test
    void lookupOfMalformedOrUnknownWallet() throws Exception {
        assertRefused(get("0x1234"), 400, "wallet must be an address");
        assertRefused(get("not-a-wallet"), 400, "wallet must be an address");
        assertRefused(get("0x" + "g".repeat(40)), 400, "wallet must be an address");
        assertRefused(get("0x" + "ab".repeat(20)), 404, "no author with wallet 0x" + "ab".repeat(20));
    }

    // ---- nothing secret leaves

    @Test
    void neitherPromptNorSignatureIsLogged(CapturedOutput output) throws Exception {
        Wallet wallet = Wallet.create();
        String prompt = "distinctive-prompt-" + UUID.randomUUID();
        Map<String, Object> request = wallet.signed(prompt);
        assertThat(post(request).statusCode()).isEqualTo(200);
        Map<String, Object> tampered = new LinkedHashMap<>(request);
        tampered.put("nonce", "another-nonce");
        assertThat(post(tampered).statusCode()).isEqualTo(401);
        Map<String, Object> tooLong = wallet.signed(prompt + "x".repeat(1000));
        assertThat(post(tooLong).statusCode()).isEqualTo(400);

        assertThat(output.getAll()).contains("author.prompt_set").contains("author.prompt_refused")
                .doesNotContain("distinctive-prompt-")
                .doesNotContain(((String) request.get("signature")).substring(2, 40))
                .doesNotContain(((String) tooLong.get("signature")).substring(2, 40));
    }

    // ---- helpers

    /** A fresh wallet that signs prompt requests the way a wallet UI does (personal_sign of the message). */
    private record Wallet(ECKeyPair keys, String address) {

        static Wallet create() throws Exception {
            ECKeyPair keys = Keys.createEcKeyPair();
            return new Wallet(keys, "0x" + Keys.getAddress(keys));
        }

        Map<String, Object> signed(String prompt) {
            return signed(prompt, nonce(), inAnHour());
        }

        Map<String, Object> signed(String prompt, String nonce, String expiresAt) {
            return signedAs(address, prompt, nonce, expiresAt);
        }

        Map<String, Object> signedAs(String spelling, String prompt) {
            return signedAs(spelling, prompt, nonce(), inAnHour());
        }

        Map<String, Object> signedAs(String spelling, String prompt, String nonce, String expiresAt) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("wallet", spelling);
            request.put("prompt", prompt);
            request.put("nonce", nonce);
            request.put("expiresAt", expiresAt);
            request.put("signature", sign(message(request)));
            return request;
        }

        /** The documented message, written out independently of the production code. */
        String message(Map<String, Object> request) {
            return "GLISK prompt\nWallet: " + ((String) request.get("wallet")).toLowerCase()
                    + "\nNonce: " + request.get("nonce")
                    + "\nExpires: " + request.get("expiresAt")
                    + "\nPrompt: " + request.get("prompt");
        }

        String sign(String message) {
            Sign.SignatureData signature = Sign.signPrefixedMessage(message.getBytes(StandardCharsets.UTF_8), keys);
            byte[] rsv = new byte[65];
            System.arraycopy(signature.getR(), 0, rsv, 0, 32);
            System.arraycopy(signature.getS(), 0, rsv, 32, 32);
            rsv[64] = signature.getV()[0];
            return "0x" + HexFormat.of().formatHex(rsv);
        }
    }

    private static String inAnHour() {
        return Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String nonce() {
        return "n-" + UUID.randomUUID();
    }

    private String storedPrompt(Wallet wallet) {
        return jdbc.queryForObject("SELECT prompt_text FROM authors WHERE wallet_address = ?", String.class,
                wallet.address);
    }

    private HttpResponse<String> post(Map<String, Object> request) throws IOException, InterruptedException {
        return post(JSON.writeValueAsBytes(request));
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return post(body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(byte[] body) throws IOException, InterruptedException {
        return http.send(postRequest(BodyPublishers.ofByteArray(body)), BodyHandlers.ofString());
    }

    private HttpRequest postRequest(HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/authors/prompt"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json").POST(body).build();
    }

    private HttpResponse<String> get(String wallet) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/authors/" + wallet))
                .timeout(Duration.ofSeconds(10)).GET().build(), BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).get("error").asText();
    }

    private static void assertRefused(HttpResponse<String> response, int status, String error) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        assertThat(error(response)).contains(error);
    }

}

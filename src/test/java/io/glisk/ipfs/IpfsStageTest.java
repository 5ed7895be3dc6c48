package io.glisk.ipfs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.cid.ContentIds;
import io.glisk.local.images.SimulatedImageRenderer;
import io.glisk.local.pinata.PinataFault;
import io.glisk.local.pinata.PinataSimulator;
import io.glisk.support.ImageHost;
import io.glisk.support.PipelineTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IpfsStageTest extends PipelineTest {

    static final ImageHost images = new ImageHost();
    static final ObjectMapper json = new ObjectMapper();

    @AfterAll
    static void stopImageHost() {
        images.close();
    }

    @BeforeEach
    void freshImageHost() {
        images.reset();
    }

    private long authorWithHandles(String wallet, String x, String farcaster) {
        return jdbc.queryForObject("INSERT INTO authors (wallet_address, prompt_text, x_handle, farcaster_handle) "
                + "VALUES (?, 'a prompt', ?, ?) RETURNING author_id", Long.class, wallet, x, farcaster);
    }

    /** A token whose image is only a URL (no kept bytes), as the seed's design left them. */
    private void uploading(long tokenId, long authorId, String imageUrl) {
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, image_url, generation_attempts) "
                + "VALUES (?, ?, 'uploading', ?, 1)", tokenId, authorId, imageUrl);
    }

    private byte[] gateway(String cid) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + PinataSimulator.GATEWAY_PATH + "/" + cid)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void generatedTokenIsPinnedWithItsMetadataAndBecomesReady() throws Exception {
        detected(1, authorWithHandles("0xC0FFEE0000000000000000000000000000000001", "@alice", "bob"));

        Map<String, Object> token = awaitStatus(1, "ready");

        String imageCid = (String) token.get("image_cid");
        byte[] pinnedImage = gateway(imageCid);
        // the CID is the real CIDv1 of the bytes: recomputed here, independently of the simulator's answer
        assertThat(imageCid).startsWith("bafkrei").isEqualTo(ContentIds.cidV1(pinnedImage));
        assertThat(new String(pinnedImage, 8, 4)).isEqualTo("WEBP");
        assertThat(pinata.pinned(imageCid).orElseThrow().name()).isEqualTo("glisk-s0-1.webp");
        assertThat(pinata.pinned(imageCid).orElseThrow().cidVersion()).isEqualTo(1);
        JsonNode metadata = json.readTree(gateway((String) token.get("metadata_cid")));
        assertThat(metadata).isEqualTo(json.readTree("""
                {"name": "GLISK S0 #1",
                 "description": "GLISK Season 0: an AI artwork generated from the prompt its author set, revealed on chain.",
                 "image": "ipfs://%s",
                 "attributes": [{"trait_type": "Author X Handle", "value": "@alice"},
                                {"trait_type": "Author Farcaster Handle", "value": "@bob"}]}
                """.formatted(imageCid)));
        assertThat(token.get("upload_attempts")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM token_images", Integer.class)).isZero();
    }

    @Test
    void metadataWithoutHandlesAndWithUnicodeHandles() throws Exception {
        detected(2, authorWithHandles("0xC0FFEE0000000000000000000000000000000002", null, "  "));
        detected(3, authorWithHandles("0xC0FFEE0000000000000000000000000000000003", "ünïcødé_名前", "@émoji🎨"));

        JsonNode none = json.readTree(gateway((String) awaitStatus(2, "ready").get("metadata_cid")));
        JsonNode unicode = json.readTree(gateway((String) awaitStatus(3, "ready").get("metadata_cid")));

        assertThat(none.get("attributes").size()).isZero();
        assertThat(none.get("name").asText()).isEqualTo("GLISK S0 #2");
        assertThat(unicode.get("attributes")).isEqualTo(json.readTree("""
                [{"trait_type": "Author X Handle", "value": "@ünïcødé_名前"},
                 {"trait_type": "Author Farcaster Handle", "value": "@émoji🎨"}]"""));
    }

    @Test
    void imageFromItsUrlKeepsItsRealType() throws Exception {
        byte[] png = new SimulatedImageRenderer().png("from a url", 32);
        uploading(4, author("0xC0FFEE0000000000000000000000000000000004", "x"),
                images.serve("localhost", "/outputs/4/out-0.webp", png));

        Map<String, Object> token = awaitStatus(4, "ready");

        // named .webp by the provider, but the bytes are a PNG: pinned as one
        PinataSimulator.Pin pin = pinata.pinned((String) token.get("image_cid")).orElseThrow();
        assertThat(pin.contentType()).isEqualTo("image/png");
        assertThat(pin.name()).isEqualTo("glisk-s0-4.png");
        assertThat(pin.bytes()).isEqualTo(png);
    }

    @Test
    void throttlingIsRetriedAfterRetryAfter() {
        pinata.enqueueFile(PinataFault.throttle(1_000));
        detected(5, author("0xC0FFEE0000000000000000000000000000000005", "throttled pin"));

        Map<String, Object> token = awaitStatus(5, "ready");

        List<Long> times = pinata.requestsFile();
        assertThat(times).hasSize(2);
        assertThat(times.get(1) - times.get(0)).isGreaterThanOrEqualTo(950);
        assertThat(token.get("upload_attempts")).isEqualTo(2);
    }

    @Test
    void rejectedJwtFailsAtOnce() {
        pinata.setAcceptedJwt("another-jwt");
        detected(6, author("0xC0FFEE0000000000000000000000000000000006", "unauthorized pin"));

        Map<String, Object> token = awaitStatus(6, "failed");

        assertThat(token.get("failed_stage")).isEqualTo("ipfs");
        assertThat(token.get("upload_error")).isEqualTo("Pinata answered HTTP 401: Invalid authentication credentials provided");
        assertThat(pinata.requestsFile()).hasSize(1);
    }

    @Test
    void metadataPinFailureRetriesOnlyTheMetadata() {
        pinata.enqueueJson(PinataFault.of(PinataFault.Kind.SERVER_ERROR), PinataFault.of(PinataFault.Kind.BAD_GATEWAY));
        detected(7, author("0xC0FFEE0000000000000000000000000000000007", "metadata trouble"));

        Map<String, Object> token = awaitStatus(7, "ready");

        assertThat(pinata.filePins()).isEqualTo(1);
        assertThat(pinata.requestsFile()).hasSize(1);
        assertThat(pinata.requestsJson()).hasSize(3);
        // two failures in Pinata's three calls opened its circuit: down for everyone as far as anyone can tell, so
        // the third call waited for it and the attempts the outage cost were given back
        assertThat(token.get("upload_attempts")).isEqualTo(1);
    }

    @Test
    void alreadyPinnedImageIsNotPinnedAgain() {
        long author = author("0xC0FFEE0000000000000000000000000000000008", "half done");
        // an earlier attempt pinned the image and stopped (crash) before the metadata
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, image_url, image_cid) VALUES "
                + "(8, ?, 'uploading', 'https://replicate.delivery/gone.webp', "
                + "'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e')", author);

        awaitStatus(8, "ready");

        assertThat(pinata.requestsFile()).isEmpty();
        assertThat(pinata.lastJsonContent().get("image").asText())
                .isEqualTo("ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
    }

    @Test
    void oversizedDownloadIsRefused() {
        uploading(9, author("0xC0FFEE0000000000000000000000000000000009", "too big"),
                images.serve("localhost", "/big.png", new byte[2 * 1024 * 1024]));

        assertThat(awaitStatus(9, "failed").get("upload_error"))
                .isEqualTo("image is 2097152 bytes, the limit is 1048576");
        assertThat(pinata.requestsFile()).isEmpty();
    }

    @Test
    void nonImageDownloadIsRefused() {
        uploading(10, author("0xC0FFEE0000000000000000000000000000000010", "not an image"),
                images.serve("127.0.0.1", "/page.png", "<!doctype html><p>hello".getBytes()));

        assertThat((String) awaitStatus(10, "failed").get("upload_error"))
                .startsWith("download is not a PNG, WebP, JPEG or GIF image (23 bytes starting");
        assertThat(pinata.requestsFile()).isEmpty();
    }

    @Test
    void hostThatIsNotAllowedIsNeverContacted() {
        // 127.0.0.2 reaches the same server, but it is not an allowed host
        uploading(11, author("0xC0FFEE0000000000000000000000000000000011", "elsewhere"),
                images.serve("127.0.0.2", "/img.png", new SimulatedImageRenderer().png("x", 8)));

        assertThat((String) awaitStatus(11, "failed").get("upload_error"))
                .isEqualTo("image host 127.0.0.2 is not in IMAGE_DOWNLOAD_ALLOWED_HOSTS [localhost, 127.0.0.1]");
        assertThat(images.requests()).isZero();
    }

    @Test
    void expiredImageIsGeneratedAgain() {
        long author = author("0xC0FFEE0000000000000000000000000000000012", "expired");
        uploading(12, author, images.url("localhost", "/expired.webp"));

        Map<String, Object> token = awaitStatus(12, "ready");

        assertThat(token.get("generation_attempts")).isEqualTo(2);
        assertThat(replicate.predictionsByPrompt()).containsEntry("expired", 1);
        assertThat(jdbc.queryForList("SELECT event FROM token_events WHERE token_id = 12 ORDER BY id", String.class))
                .containsSubsequence("regenerate", "succeeded", "succeeded");
    }

    @Test
    void expiredImageWithNoGenerationAttemptsLeftFails() {
        long author = author("0xC0FFEE0000000000000000000000000000000013", "expired for good");
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, image_url, generation_attempts) "
                + "VALUES (13, ?, 'uploading', ?, 3)", author, images.url("localhost", "/expired.webp"));

        Map<String, Object> token = awaitStatus(13, "failed");

        assertThat(token.get("failed_stage")).isEqualTo("generation");
        assertThat((String) token.get("generation_error")).startsWith(
                "Attempts exhausted (3 of 3): Image gone before it was pinned: image at localhost/expired.webp is gone (HTTP 404)");
        assertThat(replicate.predictionsByPrompt()).isEmpty();
    }

    @Test
    void tokenWithNoImageKeptAndNoUrlIsGeneratedAgain() {
        // an output that came inline has no URL: should its kept bytes be gone, there is nothing to download
        long author = author("0xC0FFEE0000000000000000000000000000000014", "nothing kept");
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, generation_attempts) VALUES (14, ?, 'uploading', 1)",
                author);

        awaitStatus(14, "ready");

        assertThat(replicate.predictionsByPrompt()).containsEntry("nothing kept", 1);
        assertThat(jdbc.queryForObject("SELECT detail->>'error' FROM token_events WHERE token_id = 14 AND event = 'regenerate'",
                String.class)).isEqualTo("no image kept and no URL to download it from");
    }
}

package io.glisk.local.avatar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glisk.avatar.AvatarKeys;
import io.glisk.avatar.AvatarStorage;
import io.glisk.avatar.StageHalted;
import io.glisk.avatar.TestAvatarSettings;
import io.glisk.avatar.TestImages;
import java.awt.Color;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Local mode's S3 simulator driven by the production storage bean — the AWS SDK's own requests (signed, chunked
 * uploads, XML answers) — and read back over plain HTTP as a browser reads a picture's public URL.
 */
class S3SimulatorTest {

    static final String ACCESS = "local-s3-access-key";
    static SimulatorServer server;
    static AvatarStorage storage;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = new SimulatorServer(Map.of("server.port", "0"), "local");
        storage = new AvatarStorage(TestAvatarSettings.bind("S3_ENDPOINT", server.baseUrl() + S3Simulator.PATH,
                "S3_ACCESS_KEY", ACCESS, "S3_SECRET_KEY", "local-s3-secret-key", "S3_BUCKET_NAME", "sim-bucket"));
        storage.ensureBucket();
    }

    @AfterAll
    static void stop() {
        storage.close();
        server.close();
    }

    @Test
    void aStoredPictureIsServedAtItsPublicUrlToAnyone() throws Exception {
        byte[] png = png(40, 30, Color.MAGENTA);
        String url = storage.putPng(AvatarKeys.base(3, 9), png);

        assertThat(url).isEqualTo(server.baseUrl() + "/sim/s3/sim-bucket/avatars/task_3/persona_9/base.png");
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(answer.body()).isEqualTo(png);
        assertThat(storage.exists(AvatarKeys.base(3, 9))).isTrue();
        try (InputStream in = storage.open(AvatarKeys.base(3, 9)).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(png);
        }
        assertThat(server.bean(S3Simulator.class).writes()).containsEntry("sim-bucket/avatars/task_3/persona_9/base.png", 1);
    }

    @Test
    void missingObjectsAndBucketsAreS3Errors() throws Exception {
        assertThat(storage.exists(AvatarKeys.image(4, 1, 0))).isFalse();
        assertThat(storage.open(AvatarKeys.image(4, 1, 0))).isEmpty();
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/sim/s3/sim-bucket/avatars/none.png")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("<Code>NoSuchKey</Code>");
    }

    @Test
    void deletingATaskRemovesItsObjectsAndNotASiblingTasks() {
        for (int n = 0; n < 3; n++) {
            storage.putPng(AvatarKeys.image(5, 1, n), png(5, 5, Color.BLUE));
        }
        storage.putPng(AvatarKeys.image(50, 1, 0), png(5, 5, Color.BLUE));

        assertThat(storage.deletePrefix(AvatarKeys.task(5))).isEqualTo(3);

        assertThat(storage.exists(AvatarKeys.image(5, 1, 0))).isFalse();
        assertThat(storage.exists(AvatarKeys.image(50, 1, 0))).isTrue();
    }

    @Test
    void onlyRequestsSignedWithTheAccessKeyMayWrite() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/sim/s3/sim-bucket/avatars/x.png")).PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>");

        try (AvatarStorage stranger = new AvatarStorage(TestAvatarSettings.bind("S3_ENDPOINT",
                server.baseUrl() + S3Simulator.PATH, "S3_ACCESS_KEY", "someone-else", "S3_SECRET_KEY", "x",
                "S3_BUCKET_NAME", "sim-bucket"))) {
            assertThatThrownBy(() -> stranger.putPng("avatars/x.png", png(2, 2, Color.RED)))
                    .isInstanceOf(StageHalted.class).hasMessageContaining("403");
        }
    }

    @Test
    void awsChunkedBodiesAreDecoded() {
        byte[] body = ("5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n"
                + "0;chunk-signature=ghi\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        assertThat(S3Simulator.decodeChunks(body)).isEqualTo("hello world".getBytes(StandardCharsets.US_ASCII));
        assertThat(S3Simulator.decodeChunks("zz\r\n".getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(S3Simulator.decodeChunks("9\r\nshort\r\n".getBytes(StandardCharsets.US_ASCII))).isNull();
    }

    private static byte[] png(int width, int height, Color color) {
        return TestImages.png(TestImages.canvas(width, height, color));
    }
}

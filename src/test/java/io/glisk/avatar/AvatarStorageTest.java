package io.glisk.avatar;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.glisk.provider.PermanentFailure;
import io.glisk.provider.TransientFailure;
import io.glisk.support.FreePorts;
import io.glisk.support.S3MockServer;
import java.awt.Color;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The storage bean against a real S3 server (S3Mock, its own process), path-style as with MinIO. */
class AvatarStorageTest {

    static final String ACCESS = "AKIAAVATARTEST0001";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYAVATARTEST";
    static final String BUCKET = "avatar-test-" + UUID.randomUUID().toString().substring(0, 8);
    static final byte[] PNG = TestImages.png(TestImages.canvas(20, 10, Color.ORANGE));
    static AvatarStorage storage;
    static String endpoint;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void storage() {
        endpoint = S3MockServer.shared().endpoint();
        storage = new AvatarStorage(TestAvatarSettings.bind("S3_ENDPOINT", endpoint, "S3_ACCESS_KEY", ACCESS,
                "S3_SECRET_KEY", SECRET, "S3_BUCKET_NAME", BUCKET));
        storage.ensureBucket();
    }

    @AfterAll
    static void close() {
        storage.close();
    }

    @Test
    void storedPngIsServedAtItsPublicUrlAsImagePng() throws Exception {
        String key = AvatarKeys.base(7, 42);

        String url = storage.putPng(key, PNG);

        assertThat(url).isEqualTo(endpoint + "/" + BUCKET + "/avatars/task_7/persona_42/base.png");
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(response.body()).isEqualTo(PNG);
    }

    @Test
    void existsOpenAndAnOverwriteOfTheSameKey() throws Exception {
        String key = AvatarKeys.image(8, 1, 5);
        assertThat(storage.exists(key)).isFalse();
        assertThat(storage.open(key)).isEmpty();

        storage.putPng(key, PNG);
        byte[] second = TestImages.png(TestImages.canvas(5, 5, Color.BLUE));
        storage.putPng(key, second); // a retried upload replaces, never duplicates

        assertThat(storage.exists(key)).isTrue();
        Optional<InputStream> stream = storage.open(key);
        assertThat(stream).isPresent();
        try (InputStream in = stream.get()) {
            assertThat(in.readAllBytes()).isEqualTo(second);
        }
    }

    @Test
    void deletingATaskTakesItsObjectsAndLeavesTask10Alone() {
        storage.putPng(AvatarKeys.base(1, 1), PNG);
        storage.putPng(AvatarKeys.image(1, 1, 0), PNG);
        storage.putPng(AvatarKeys.imageThumbnail(1, 2, 0), PNG);
        storage.putPng(AvatarKeys.base(10, 3), PNG);

        assertThat(storage.deletePrefix(AvatarKeys.task(1))).isEqualTo(3);

        assertThat(storage.exists(AvatarKeys.base(1, 1))).isFalse();
        assertThat(storage.exists(AvatarKeys.imageThumbnail(1, 2, 0))).isFalse();
        assertThat(storage.exists(AvatarKeys.base(10, 3))).isTrue();
        assertThat(storage.deletePrefix(AvatarKeys.task(1))).isZero();
    }

    @Test
    void ensureBucketCreatesAMissingBucketAndIsRepeatable() throws Exception {
        String bucket = "avatar-new-" + UUID.randomUUID().toString().substring(0, 8);
        try (AvatarStorage fresh = new AvatarStorage(TestAvatarSettings.bind("S3_ENDPOINT", endpoint,
                "S3_ACCESS_KEY", ACCESS, "S3_SECRET_KEY", SECRET, "S3_BUCKET_NAME", bucket,
                "S3_PUBLIC_URL_BASE", "https://cdn.example/"))) {
            assertThatThrownBy(() -> fresh.putPng("a/b.png", PNG)).isInstanceOf(StageHalted.class)
                    .hasMessageContaining("NoSuchBucket").hasMessageContaining(bucket);

            fresh.ensureBucket();
            fresh.ensureBucket();

            assertThat(fresh.putPng("a/b.png", PNG)).isEqualTo("https://cdn.example/" + bucket + "/a/b.png");
        }
    }

    @Test
    void onlyPngIsStoredAndHostileKeysAreRefused() {
        assertThatThrownBy(() -> storage.putPng("x/y.png", TestImages.jpeg(TestImages.canvas(4, 4, Color.RED), 0.9f)))
                .isInstanceOf(PermanentFailure.class);
        for (String key : new String[] {"", "/abs.png", "a//b.png", "../etc/passwd", "a/../../b", "a b.png", "a/./b",
                "x".repeat(1025), "a\nb"}) {
            assertThatThrownBy(() -> storage.putPng(key, PNG)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        // without the slash, avatars/task_1 would also match avatars/task_10
        assertThatThrownBy(() -> storage.deletePrefix("avatars/task_1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.deletePrefix("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusedCredentialsStopTheStageWithoutShowingThem() throws Exception {
        WireMockServer s3 = new WireMockServer(options().dynamicPort());
        s3.start();
        try (AvatarStorage refused = new AvatarStorage(TestAvatarSettings.bind("S3_ENDPOINT", s3.baseUrl(),
                "S3_ACCESS_KEY", ACCESS, "S3_SECRET_KEY", SECRET))) {
            s3.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/xml")
                    .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InvalidAccessKeyId</Code>"
                            + "<Message>The AWS Access Key Id you provided does not exist in our records.</Message>"
                            + "<AWSAccessKeyId>" + ACCESS + "</AWSAccessKeyId><RequestId>1</RequestId></Error>")));

            assertThatThrownBy(() -> refused.putPng("a.png", PNG)).isInstanceOf(StageHalted.class)
                    .hasMessageContaining("HTTP 403 InvalidAccessKeyId").hasMessageNotContaining(ACCESS)
                    .hasMessageNotContaining(SECRET);
        } finally {
            s3.stop();
        }
    }

    @Test
    void unreachableServerIsTransientAndUnsetCredentialsStopTheStage() throws Exception {
        int closed = FreePorts.next();
        try (AvatarStorage nowhere = new AvatarStorage(TestAvatarSettings.bind("S3_ENDPOINT", "http://127.0.0.1:" + closed,
                "S3_ACCESS_KEY", ACCESS, "S3_SECRET_KEY", SECRET))) {
            assertThatThrownBy(() -> nowhere.exists("a.png")).isInstanceOf(TransientFailure.class)
                    .hasMessageStartingWith("S3 could not look for a.png").hasMessageNotContaining(SECRET)
                    .hasMessageNotContaining(ACCESS);
        }
        try (AvatarStorage unset = new AvatarStorage(TestAvatarSettings.bind("S3_ENDPOINT", endpoint))) {
            assertThatThrownBy(() -> unset.putPng("a.png", PNG)).isInstanceOf(StageHalted.class)
                    .hasMessageContaining("S3_ACCESS_KEY and S3_SECRET_KEY");
        }
    }
}

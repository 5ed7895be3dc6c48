package io.glisk.avatar;

import io.glisk.image.ImageTypes;
import io.glisk.provider.PermanentFailure;
import io.glisk.provider.ProviderAnswers;
import io.glisk.provider.TransientFailure;
import io.glisk.settings.ConditionalOnStage;
import io.glisk.settings.Secret;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The avatar pictures in an S3 bucket (Amazon S3, MinIO or any S3-compatible store): PNG only, stored under
 * their key with {@code Content-Type: image/png} and reached at {@code {S3_PUBLIC_URL_BASE}/{bucket}/{key}}.
 *
 * <p>Path-style requests to S3_ENDPOINT ({@code http://host/bucket/key}), as MinIO and S3Mock need; checksums
 * only where the S3 API requires one, because the SDK's newer default checksums are refused by many
 * S3-compatible servers. This bean uses the AWS SDK client that camel-aws2-s3 brings, directly: each
 * operation here is one SDK call whose answer decides the next step, which a producer endpoint would only
 * wrap in headers.
 *
 * <p>Failures: refused credentials and a missing bucket stop the stage ({@link StageHalted}); throttling, 5xx
 * and an unreachable server are transient. Keys and secrets never appear in a message.
 */
@Component
@ConditionalOnStage("avatar")
public class AvatarStorage implements AutoCloseable {

    static final String PROVIDER = "S3";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*/?");
    private static final int MAX_KEY_CHARS = 1024;

    private final AvatarSettings.Storage settings;
    private final S3Client s3;
    private final String bucket;
    private final String publicBase;

    public AvatarStorage(AvatarSettings avatar) {
        this.settings = avatar.s3();
        this.bucket = settings.bucketName();
        this.publicBase = settings.publicUrlBase().replaceAll("/+$", "");
        Secret access = settings.accessKey();
        Secret secret = settings.secretKey();
        // asked for at each request: unset credentials stop the stage when it calls, not the whole service at start
        AwsCredentialsProvider credentials = () -> AwsBasicCredentials.create(access.value(), secret.value());
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60))
                        .maxConnections(32));
        if (!settings.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        this.s3 = builder.build();
    }

    /** Creates the bucket when it does not exist yet. */
    public void ensureBucket() {
        call("check bucket " + bucket, () -> {
            try {
                s3.headBucket(b -> b.bucket(bucket));
            } catch (NoSuchBucketException e) {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                s3.createBucket(b -> b.bucket(bucket));
            }
            return null;
        });
    }

    /** Stores the PNG under the key (replacing what was there) and answers its public URL. */
    public String putPng(String key, byte[] png) {
        checkKey(key);
        if (png == null || !"image/png".equals(ImageTypes.sniff(png))) {
            throw new PermanentFailure("only PNG images are stored as .png; " + key + " is something else");
        }
        call("store " + key, () -> s3.putObject(b -> b.bucket(bucket).key(key).contentType("image/png")
                .contentLength((long) png.length), RequestBody.fromBytes(png)));
        return publicUrl(key);
    }

    /** {@code {S3_PUBLIC_URL_BASE}/{S3_BUCKET_NAME}/{key}}. */
    public String publicUrl(String key) {
        checkKey(key);
        return publicBase + "/" + bucket + "/" + key;
    }

    public boolean exists(String key) {
        checkKey(key);
        return call("look for " + key, () -> {
            try {
                s3.headObject(b -> b.bucket(bucket).key(key));
                return true;
            } catch (NoSuchKeyException e) {
                return false;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** The object's bytes as a stream for the caller to close, or empty when there is no such object. */
    public Optional<InputStream> open(String key) {
        checkKey(key);
        return call("read " + key, () -> {
            try {
                return Optional.<InputStream>of(s3.getObject(b -> b.bucket(bucket).key(key)));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    /** Deletes every object whose key starts with the prefix (which must end with "/"); answers how many. */
    public int deletePrefix(String prefix) {
        checkKey(prefix);
        if (!prefix.endsWith("/")) {
            throw new IllegalArgumentException("a prefix to delete must end with '/', or it would match its siblings: "
                    + prefix);
        }
        return call("delete " + prefix, () -> {
            int deleted = 0;
            for (var page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())) {
                List<ObjectIdentifier> keys = new ArrayList<>();
                for (S3Object object : page.contents()) {
                    keys.add(ObjectIdentifier.builder().key(object.key()).build());
                }
                if (!keys.isEmpty()) {
                    // a page holds at most 1,000 keys, the most one DeleteObjects takes
                    var answer = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(keys).quiet(true).build()));
                    if (answer.hasErrors() && !answer.errors().isEmpty()) {
                        throw new TransientFailure("S3 did not delete " + answer.errors().size() + " objects under "
                                + prefix + ": " + answer.errors().get(0).code());
                    }
                    deleted += keys.size();
                }
            }
            return deleted;
        });
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_CHARS || !KEY.matcher(key).matches()
                || key.contains("/../") || key.startsWith("../") || key.contains("/./") || key.startsWith("./")) {
            throw new IllegalArgumentException("not a storage key: " + (key == null ? "null"
                    : key.length() > 100 ? key.substring(0, 100) + "…" : key));
        }
    }

    /** Runs one S3 operation and says what its failure means for the stage. */
    private <T> T call(String what, Supplier<T> operation) {
        if (settings.accessKey().isBlank() || settings.secretKey().isBlank()) {
            throw new StageHalted(PROVIDER, "S3_ACCESS_KEY and S3_SECRET_KEY must be set to " + what);
        }
        try {
            return operation.get();
        } catch (S3Exception e) {
            int status = e.statusCode();
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String message = scrub(PROVIDER + " answered HTTP " + status + (code == null ? "" : " " + code)
                    + " to " + what);
            if (status == 401 || status == 403 || "NoSuchBucket".equals(code)) {
                throw new StageHalted(PROVIDER, message + (status == 404 ? " (bucket " + bucket + " does not exist)"
                        : " (check S3_ACCESS_KEY, S3_SECRET_KEY and the bucket's policy)"));
            }
            if (status == 408 || status == 429 || status >= 500) {
                throw new TransientFailure(message);
            }
            throw new PermanentFailure(message);
        } catch (SdkClientException e) {
            throw new TransientFailure(scrub(PROVIDER + " could not " + what + ": " + e.getMessage()));
        } catch (SdkException e) {
            throw new TransientFailure(scrub(PROVIDER + " failed to " + what + ": " + e.getClass().getSimpleName()));
        }
    }

    private String scrub(String text) {
        String clean = text;
        for (Secret secret : List.of(settings.accessKey(), settings.secretKey())) {
            if (!secret.isBlank() && secret.value().length() >= 4) {
                clean = clean.replace(secret.value(), "…");
            }
        }
        return ProviderAnswers.shorten(clean);
    }

    @Override
    public void close() {
        s3.close();
    }
}

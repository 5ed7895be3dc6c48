package io.glisk.ipfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.glisk.cid.ContentIds;
import io.glisk.claim.AttemptLedger;
import io.glisk.image.Image;
import io.glisk.support.RouteTest;
import io.glisk.support.ScriptedHttp;
import io.glisk.support.ScriptedImages;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The IPFS stage's route file with the shared error handling of the token stages: an image that is gone sends
 * its token back to generation, one that is not an image fails it, what is pinned stays pinned across retries,
 * and a Pinata that cannot be reached is named in the token's error — against a scripted Pinata.
 */
class IpfsRoutesTest extends RouteTest {

    static final long TOKEN = 7;
    static final String GONE = "image at replicate.delivery/xezq/out-0.webp is gone (HTTP 404)";
    static final String NOT_AN_IMAGE = "image at replicate.delivery/xezq/out-0.webp is text/html, not an image";
    static final String PINNED = "{\"IpfsHash\": \"" + ContentIds.cidV1("pinned".getBytes()) + "\"}";

    final ScriptedHttp pinata = new ScriptedHttp(PINNED);
    final ScriptedImages images = new ScriptedImages();
    /** The generation stage's kept bytes of the token's image, as the claim reads them, or none. */
    Image keptImage;
    AttemptLedger ledger;

    @Override
    protected String[] routeFiles() {
        return new String[] {"shared.camel.yaml", "ipfs.camel.yaml"};
    }

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("glisk.pinata.api-url", "https://api.pinata.test");
        settings.put("glisk.pinata.timeout-seconds", "2");
        return settings;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        ledger = bindTokenStageBeans(registry);
        registry.bind("imageFetcher", images);
        registry.bind("keptImages", new KeptImages());
        registry.bind("pinataRequests", new PinataRequests());
        registry.bind("pinataAnswers", new PinataAnswers());
        registry.bind("metadataBuilder", new MetadataBuilder(new MetadataSettings("GLISK S0 #{token_id}", "by {author}")));
    }

    @BeforeEach
    void replaceTheClaimTheDatabaseAndPinata() throws Exception {
        AdviceWith.adviceWith(context, "ipfs", route -> {
            route.replaceFromWith("direct:ipfs");
            route.weaveById("ipfs-store").replace().to("mock:stored");
        });
        AdviceWith.adviceWith(context, "ipfs-pin-image", route -> {
            route.weaveById("ipfs-remember-image-cid").replace().to("mock:image-pinned");
        });
        AdviceWith.adviceWith(context, "pinata-http",
                route -> route.weaveById("pinata-http-call").replace().process(pinata));
        AdviceWith.adviceWith(context, "ipfs-regenerate",
                route -> route.weaveById("ipfs-send-back").replace().to("mock:regenerate"));
        AdviceWith.adviceWith(context, "ipfs-failed",
                route -> route.weaveById("ipfs-mark-failed").replace().to("mock:failed"));
        context.start();
    }

    private void claim(int attempts) {
        ledger.claimed(TOKEN, attempts);
        Map<String, Object> row = new HashMap<>();
        row.put("token_id", TOKEN);
        row.put("lease_id", UUID.randomUUID());
        row.put("attempts", attempts);
        row.put("image_url", "https://replicate.delivery/xezq/out-0.webp");
        row.put("image_cid", null);
        row.put("metadata_cid", null);
        row.put("kept_image_bytes", keptImage == null ? null : keptImage.bytes());
        row.put("kept_image_type", keptImage == null ? null : keptImage.contentType());
        row.put("author_wallet", "0xa11ce00000000000000000000000000000000001");
        claimed("ipfs", row);
    }

    private MockEndpoint mock(String name) {
        return getMockEndpoint("mock:" + name);
    }

    private List<String> pinCalls() {
        return pinata.requests().stream().map(ScriptedHttp.Request::path).toList();
    }

    @Test
    void anImageGoneBeforeItWasKeptSendsTheTokenBackToGeneration() {
        images.gone(GONE);

        claim(1);

        assertThat(variableOf(mock("regenerate"), "failure")).isEqualTo(GONE);
        assertThat(pinCalls()).isEmpty();
        assertThat(mock("failed").getReceivedExchanges()).isEmpty();
        assertThat(mock("stored").getReceivedExchanges()).isEmpty();
    }

    @Test
    void somethingThatIsNotAnImageFailsTheTokenAtOnce() {
        images.rejected(NOT_AN_IMAGE);

        claim(1);

        assertThat(variableOf(mock("failed"), "failure")).isEqualTo(NOT_AN_IMAGE);
        assertThat(variableOf(mock("failed"), "exhausted")).isEqualTo("false");
        assertThat(pinCalls()).isEmpty();
        assertThat(mock("regenerate").getReceivedExchanges()).isEmpty();
    }

    @Test
    void theKeptImageIsPinnedOnceAndARetryPinsOnlyWhatIsMissing() {
        keptImage = ScriptedImages.WEBP;
        pinata.answer(200, PINNED).answer(503, "{\"error\": {\"reason\": \"UNAVAILABLE\", \"details\": \"try later\"}}");

        claim(1);

        assertThat(pinCalls()).containsExactly("/pinFileToIPFS", "/pinJSONToIPFS", "/pinJSONToIPFS");
        assertThat(mock("image-pinned").getReceivedExchanges()).hasSize(1);
        assertThat(ledger.retryErrors(TOKEN)).containsExactly("Pinata answered HTTP 503: try later");
        assertThat(variableOf(mock("stored"), "metadata_cid")).isEqualTo(ContentIds.cidV1("pinned".getBytes()));
    }

    @Test
    void aPinataThatCannotBeReachedIsNamedInTheTokensError() {
        keptImage = ScriptedImages.WEBP;
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            pinata.fail(new SocketTimeoutException("Read timed out"));
        }

        claim(1);

        String reason = "Pinata request failed: java.net.SocketTimeoutException: Read timed out";
        assertThat(ledger.retryErrors(TOKEN)).containsExactly(reason, reason);
        assertThat(variableOf(mock("failed"), "failure")).isEqualTo("Attempts exhausted (3 of 3): " + reason);
        assertThat(variableOf(mock("failed"), "exhausted")).isEqualTo("true");
    }

    @Test
    void aTokenWhoseHolderStoppedDuringItsLastAttemptFailsWithoutACall() {
        claim(MAX_ATTEMPTS + 1);

        assertThat(variableOf(mock("failed"), "failure"))
                .isEqualTo("Attempts exhausted (3 of 3): the last attempt never finished (its holder stopped)");
        assertThat(pinCalls()).isEmpty();
    }
}

package io.glisk.local.pinata;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.cid.ContentIds;
import io.glisk.local.images.SimulatedImageRenderer;
import io.glisk.local.pinata.PinataFault.Kind;
import io.glisk.support.PipelineTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The Pinata simulator over real HTTP, with request bodies written out byte by byte here, so that the wire format
 * (multipart parts, JSON bodies, bearer JWT, error shapes) is what is tested, not a client library's idea of it.
 */
class PinataSimulatorTest extends PipelineTest {

    /** The well-known CIDv1 (raw leaf, sha2-256) of the 11 bytes "hello world". */
    static final String HELLO_WORLD_CID = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
    static final String INVALID_CREDENTIALS =
            "{\"error\":{\"reason\":\"INVALID_CREDENTIALS\",\"details\":\"Invalid authentication credentials provided\"}}";
    static final String INVALID_REQUEST_FORMAT = "{\"error\":\"Invalid request format.\"}";

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();
    final SimulatedImageRenderer images = new SimulatedImageRenderer();

    @Autowired
    PinataSimulator pinata;
    @Autowired
    PinataSimulatorSettings settings;
    @Value("${server.port}")
    int port;
    String jwt;

    @BeforeEach
    void resetPinata() {
        pinata.reset();
        jwt = settings.jwt();
    }

    /** Other test classes share this application: leave no lowered limit or foreign JWT behind. */
    @AfterEach
    void leaveItClean() {
        pinata.reset();
    }

    @Test
    void fileIsPinnedUnderTheCidOfItsBytesAndTheGatewayServesItBack() throws Exception {
        byte[] hello = "hello world".getBytes(UTF_8);
        Instant before = Instant.now();

        HttpResponse<byte[]> response = postFile(jwt, new Multipart()
                .file("file", "hello.txt", "text/plain", hello)
                .field("pinataOptions", "{\"cidVersion\":1}")
                .field("pinataMetadata", "{\"name\":\"GLISK S0 #1 image\",\"keyvalues\":{\"tokenId\":\"1\",\"season\":0}}"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode answer = json.readTree(response.body());
        assertThat(answer.get("IpfsHash").asText()).isEqualTo(HELLO_WORLD_CID).isEqualTo(ContentIds.cidV1(hello));
        assertThat(answer.get("PinSize").asLong()).isEqualTo(11);
        // Pinata's form: UTC, milliseconds, Z
        assertThat(answer.get("Timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(Instant.parse(answer.get("Timestamp").asText())).isBetween(before.minusMillis(1), Instant.now());
        assertThat(answer.has("isDuplicate")).isFalse();

        PinataSimulator.Pin pin = pinata.pinned(HELLO_WORLD_CID).orElseThrow();
        assertThat(pin.bytes()).isEqualTo(hello);
        assertThat(pin.contentType()).isEqualTo("text/plain");
        assertThat(pin.name()).isEqualTo("GLISK S0 #1 image");
        assertThat(pin.keyvalues()).containsExactly(Map.entry("tokenId", "1"), Map.entry("season", "0"));
        assertThat(pin.cidVersion()).isEqualTo(1);
        assertThat(pinata.filePins()).isEqualTo(1);
        assertThat(pinata.jsonPins()).isZero();

        HttpResponse<byte[]> served = get("/sim/ipfs/" + HELLO_WORLD_CID);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(served.body()).isEqualTo(hello);
    }

    @Test
    void imagesAreServedWithTheTypeOfTheirBytesWhateverTheClientDeclared() throws Exception {
        byte[] png = images.png("a red fox");
        byte[] webp = images.webp("a red fox");

        for (byte[] image : List.of(png, webp)) {
            String extension = image == png ? "png" : "webp";
            HttpResponse<byte[]> response = postFile(jwt, new Multipart()
                    .file("file", "1." + extension, "application/octet-stream", image)
                    .field("pinataOptions", "{\"cidVersion\":1}")
                    .field("pinataMetadata", "{\"keyvalues\":{\"author\":\"Zoë 🦊\"}}"));

            assertThat(response.statusCode()).isEqualTo(200);
            String cid = json.readTree(response.body()).get("IpfsHash").asText();
            assertThat(cid).isEqualTo(ContentIds.cidV1(image)).startsWith("bafkrei");
            PinataSimulator.Pin pin = pinata.pinned(cid).orElseThrow();
            // without a name in the metadata Pinata names the pin after the file; form fields are UTF-8
            assertThat(pin.name()).isEqualTo("1." + extension);
            assertThat(pin.keyvalues()).containsExactly(Map.entry("author", "Zoë 🦊"));

            HttpResponse<byte[]> served = get("/sim/ipfs/" + cid);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.headers().firstValue("Content-Type")).hasValue("image/" + extension);
            assertThat(served.body()).isEqualTo(image);
        }
        assertThat(pinata.filePins()).isEqualTo(2);
    }

    @Test
    void contentOfSeveralChunksGetsTheCidOfItsDag() throws Exception {
        byte[] content = new byte[600_000];
        new Random(42).nextBytes(content);

        HttpResponse<byte[]> response = postFile(jwt, new Multipart().file("file", "noise.bin", null, content));

        assertThat(response.statusCode()).isEqualTo(200);
        String cid = json.readTree(response.body()).get("IpfsHash").asText();
        assertThat(cid).isEqualTo(ContentIds.cidV1(content)).startsWith("bafybei");
        assertThat(pinata.pinned(cid).orElseThrow().cidVersion()).isNull();
        HttpResponse<byte[]> served = get("/sim/ipfs/" + cid);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(served.body()).isEqualTo(content);
    }

    /** Needs spring.servlet.multipart's limits raised to the simulator's in application-local.yml (Spring: 1 MB). */
    @Test
    void filesOfSeveralMegabytesArePinned() throws Exception {
        byte[] content = new byte[3_000_000];
        new Random(7).nextBytes(content);

        HttpResponse<byte[]> response = postFile(jwt, new Multipart().file("file", "big.bin", null, content));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).get("IpfsHash").asText()).isEqualTo(ContentIds.cidV1(content));
    }

    @Test
    void pinningTheSameBytesAgainSaysItIsADuplicateAndKeepsTheFirstPin() throws Exception {
        byte[] png = images.png("twice");

        JsonNode first = json.readTree(postFile(jwt, new Multipart().file("file", "a.png", "image/png", png)
                .field("pinataMetadata", "{\"name\":\"first\"}")).body());
        HttpResponse<byte[]> again = postFile(jwt, new Multipart().file("file", "b.png", "image/png", png)
                .field("pinataMetadata", "{\"name\":\"second\"}"));

        assertThat(again.statusCode()).isEqualTo(200);
        JsonNode second = json.readTree(again.body());
        assertThat(second.get("IpfsHash")).isEqualTo(first.get("IpfsHash"));
        assertThat(second.get("isDuplicate").asBoolean()).isTrue();
        assertThat(pinata.pinned(second.get("IpfsHash").asText()).orElseThrow().name()).isEqualTo("first");
        assertThat(pinata.filePins()).isEqualTo(2);
    }

    @Test
    void jsonIsPinnedAsItsCompactSerializationAndServedAsJson() throws Exception {
        String body = """
                {
                  "pinataContent": {
                    "name": "GLISK S0 #7",
                    "description": "Season zero — “unrevealed” no more",
                    "image": "ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
                    "attributes": [ { "trait_type": "Author X Handle", "value": "@fox" } ]
                  },
                  "pinataOptions": { "cidVersion": 1 },
                  "pinataMetadata": { "name": "GLISK S0 #7 metadata", "keyvalues": { "tokenId": 7 } }
                }
                """;
        byte[] compact = ("{\"name\":\"GLISK S0 #7\",\"description\":\"Season zero — “unrevealed” no more\","
                + "\"image\":\"ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e\","
                + "\"attributes\":[{\"trait_type\":\"Author X Handle\",\"value\":\"@fox\"}]}").getBytes(UTF_8);

        HttpResponse<byte[]> response = postJson(jwt, body);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = json.readTree(response.body());
        String cid = answer.get("IpfsHash").asText();
        assertThat(cid).isEqualTo(ContentIds.cidV1(compact));
        assertThat(answer.get("PinSize").asLong()).isEqualTo(compact.length);
        assertThat(pinata.lastJsonContent()).isEqualTo(json.readTree(body).get("pinataContent"));
        assertThat(pinata.jsonPins()).isEqualTo(1);
        assertThat(pinata.filePins()).isZero();
        PinataSimulator.Pin pin = pinata.pinned(cid).orElseThrow();
        assertThat(pin.name()).isEqualTo("GLISK S0 #7 metadata");
        assertThat(pin.keyvalues()).containsExactly(Map.entry("tokenId", "7"));
        assertThat(pin.cidVersion()).isEqualTo(1);

        HttpResponse<byte[]> served = get("/sim/ipfs/" + cid);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(served.body()).isEqualTo(compact);
    }

    @Test
    void missingOrWrongJwtIsRefusedWithPinatasBody() throws Exception {
        long before = System.currentTimeMillis();
        Multipart file = new Multipart().file("file", "a.txt", "text/plain", "a".getBytes(UTF_8));
        String document = "{\"pinataContent\":{\"a\":1}}";

        for (String presented : new String[] {null, "wrong", jwt + "x", ""}) {
            assertRefused(postFile(presented, file));
            assertRefused(postJson(presented, document));
        }
        // a JWT without the Bearer scheme is no bearer JWT
        assertRefused(send(HttpRequest.newBuilder(uri("/sim/pinata/pinning/pinJSONToIPFS"))
                .header("Authorization", jwt).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(document))));

        assertThat(pinata.filePins()).isZero();
        assertThat(pinata.jsonPins()).isZero();
        long after = System.currentTimeMillis();
        assertThat(pinata.requestsFile()).hasSize(4).allSatisfy(t -> assertThat(t).isBetween(before, after));
        assertThat(pinata.requestsJson()).hasSize(5);

        pinata.setAcceptedJwt("rotated");
        assertRefused(postJson(jwt, document));
        assertThat(postJson("rotated", document).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void eachQueuedFaultGivesItsAnswerOnceThenPinningGoesOn(Kind kind) throws Exception {
        PinataFault fault = switch (kind) {
            case THROTTLE -> PinataFault.throttle(1500);
            case SLOW -> PinataFault.slow(400);
            default -> PinataFault.of(kind);
        };
        pinata.enqueueFile(fault);
        pinata.enqueueJson(fault);
        Multipart file = new Multipart().file("file", "f.txt", "text/plain", "fault".getBytes(UTF_8));
        String document = "{\"pinataContent\":{\"fault\":true}}";

        long start = System.nanoTime();
        List<HttpResponse<byte[]>> faulty = List.of(postFile(jwt, file), postJson(jwt, document));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        for (HttpResponse<byte[]> response : faulty) {
            switch (kind) {
                case THROTTLE -> {
                    assertThat(response.statusCode()).isEqualTo(429);
                    assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
                    assertThat(json.readTree(response.body()).at("/error/reason").asText()).isEqualTo("RATE_LIMITED");
                }
                case SERVER_ERROR -> {
                    assertThat(response.statusCode()).isEqualTo(500);
                    assertThat(json.readTree(response.body()).at("/error/reason").asText())
                            .isEqualTo("INTERNAL_SERVER_ERROR");
                }
                case BAD_GATEWAY -> {
                    assertThat(response.statusCode()).isEqualTo(502);
                    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
                }
                case UNAUTHORIZED -> assertRefused(response);
                case BAD_REQUEST -> {
                    assertThat(response.statusCode()).isEqualTo(400);
                    assertThat(json.readTree(response.body()).at("/error/reason").asText()).isEqualTo("INVALID_REQUEST");
                }
                case SLOW -> {
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(json.readTree(response.body()).get("IpfsHash").asText()).startsWith("bafkrei");
                }
                case MALFORMED -> {
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThatThrownBy(() -> json.readTree(response.body())).isInstanceOf(JsonProcessingException.class);
                }
            }
        }
        if (kind == Kind.SLOW) {
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        }
        int pinnedByFault = kind == Kind.SLOW ? 1 : 0;
        assertThat(pinata.filePins()).isEqualTo(pinnedByFault);
        assertThat(pinata.jsonPins()).isEqualTo(pinnedByFault);

        assertThat(postFile(jwt, file).statusCode()).isEqualTo(200);
        assertThat(postJson(jwt, document).statusCode()).isEqualTo(200);
        assertThat(pinata.filePins()).isEqualTo(pinnedByFault + 1);
        assertThat(pinata.jsonPins()).isEqualTo(pinnedByFault + 1);
    }

    @Test
    void faultsQueuedForOneEndpointLeaveTheOtherAlone() throws Exception {
        pinata.enqueueFile(PinataFault.of(Kind.SERVER_ERROR), PinataFault.throttle(1000));
        pinata.enqueueJson(PinataFault.of(Kind.BAD_GATEWAY));
        Multipart file = new Multipart().file("file", "f.txt", "text/plain", "queued".getBytes(UTF_8));
        String document = "{\"pinataContent\":\"queued\"}";

        assertThat(postJson(jwt, document).statusCode()).isEqualTo(502);
        assertThat(postJson(jwt, document).statusCode()).isEqualTo(200);
        assertThat(postFile(jwt, file).statusCode()).isEqualTo(500);
        assertThat(postFile(jwt, file).statusCode()).isEqualTo(429);
        assertThat(postFile(jwt, file).statusCode()).isEqualTo(200);
    }

    @Test
    void fileRequestWithoutAFileIsABadRequest() throws Exception {
        // no file part at all
        assertBadRequest(postFile(jwt, new Multipart().field("pinataMetadata", "{\"name\":\"x\"}")), INVALID_REQUEST_FORMAT);
        // a "file" part without a filename is a text field to Pinata
        assertBadRequest(postFile(jwt, new Multipart().field("file", "hello")), INVALID_REQUEST_FORMAT);
        // not multipart
        assertBadRequest(send(HttpRequest.newBuilder(uri("/sim/pinata/pinning/pinFileToIPFS"))
                .header("Authorization", "Bearer " + jwt).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))), INVALID_REQUEST_FORMAT);

        // cut off before its closing boundary; needs spring.servlet.multipart.resolve-lazily (else Spring answers 500)
        byte[] truncated = Arrays.copyOf(new Multipart().file("file", "a.txt", "text/plain", "abc".getBytes(UTF_8))
                .bytes(), 80);
        assertBadRequest(send(HttpRequest.newBuilder(uri("/sim/pinata/pinning/pinFileToIPFS"))
                .header("Authorization", "Bearer " + jwt)
                .header("Content-Type", "multipart/form-data; boundary=" + Multipart.BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(truncated))), INVALID_REQUEST_FORMAT);

        Multipart twoFiles = new Multipart().file("file", "a.txt", "text/plain", "a".getBytes(UTF_8))
                .file("file", "b.txt", "text/plain", "b".getBytes(UTF_8));
        assertThat(json.readTree(postFile(jwt, twoFiles).body()).at("/error/details").asText()).contains("one file");
        Multipart badMetadata = new Multipart().file("file", "a.txt", "text/plain", "a".getBytes(UTF_8))
                .field("pinataMetadata", "{\"name\":");
        assertThat(postFile(jwt, badMetadata).statusCode()).isEqualTo(400);
        Multipart nestedKeyvalues = new Multipart().file("file", "a.txt", "text/plain", "a".getBytes(UTF_8))
                .field("pinataMetadata", "{\"keyvalues\":{\"a\":{\"b\":1}}}");
        assertThat(postFile(jwt, nestedKeyvalues).statusCode()).isEqualTo(400);
        assertThat(pinata.filePins()).isZero();
    }

    @Test
    void jsonRequestWithoutContentIsABadRequest() throws Exception {
        for (String body : List.of("{}", "{\"pinataContent\":null}", "{\"pinataContent\":", "[1,2]", "",
                "{\"pinataContent\":{},\"pinataOptions\":\"cidVersion=1\"}")) {
            HttpResponse<byte[]> response = postJson(jwt, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(json.readTree(response.body()).at("/error/reason").asText()).isEqualTo("INVALID_REQUEST");
        }
        // Pinata only reads a JSON body sent as JSON
        HttpResponse<byte[]> asText = send(HttpRequest.newBuilder(uri("/sim/pinata/pinning/pinJSONToIPFS"))
                .header("Authorization", "Bearer " + jwt).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"pinataContent\":{\"a\":1}}")));
        assertThat(asText.statusCode()).isEqualTo(400);
        assertThat(pinata.jsonPins()).isZero();
        assertThat(pinata.lastJsonContent()).isNull();
    }

    @Test
    void bodiesOverTheLimitAreRefusedWith413() throws Exception {
        pinata.setMaxBodyBytes(1000);
        Multipart big = new Multipart().file("file", "big.bin", null, new byte[2000]);
        String bigDocument = "{\"pinataContent\":\"" + "x".repeat(2000) + "\"}";

        HttpResponse<byte[]> file = postFile(jwt, big);
        HttpResponse<byte[]> document = postJson(jwt, bigDocument);

        assertThat(file.statusCode()).isEqualTo(413);
        assertThat(document.statusCode()).isEqualTo(413);
        assertThat(pinata.filePins()).isZero();
        assertThat(pinata.jsonPins()).isZero();
        assertThat(pinata.requestsFile()).hasSize(1);
        assertThat(pinata.requestsJson()).hasSize(1);
        // within the limit, as before
        assertThat(postJson(jwt, "{\"pinataContent\":\"small\"}").statusCode()).isEqualTo(200);

        pinata.reset();
        assertThat(postFile(jwt, big).statusCode()).isEqualTo(200);
        assertThat(postJson(jwt, bigDocument).statusCode()).isEqualTo(200);
    }

    @Test
    void gatewayAnswers404ForUnknownContentAnd400ForWhatIsNoCid() throws Exception {
        assertThat(get("/sim/ipfs/" + HELLO_WORLD_CID).statusCode()).isEqualTo(404);
        assertThat(get("/sim/ipfs/not-a-cid").statusCode()).isEqualTo(400);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private void assertRefused(HttpResponse<byte[]> response) throws IOException {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json.readTree(response.body())).isEqualTo(json.readTree(INVALID_CREDENTIALS));
    }

    private void assertBadRequest(HttpResponse<byte[]> response, String body) throws IOException {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body())).isEqualTo(json.readTree(body));
    }

    private HttpResponse<byte[]> postFile(String bearer, Multipart body) throws IOException, InterruptedException {
        return send(authorized(HttpRequest.newBuilder(uri("/sim/pinata/pinning/pinFileToIPFS")), bearer)
                .header("Content-Type", "multipart/form-data; boundary=" + Multipart.BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())));
    }

    private HttpResponse<byte[]> postJson(String bearer, String body) throws IOException, InterruptedException {
        return send(authorized(HttpRequest.newBuilder(uri("/sim/pinata/pinning/pinJSONToIPFS")), bearer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)));
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, String bearer) {
        return bearer == null ? request : request.header("Authorization", "Bearer " + bearer);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** A multipart/form-data body as RFC 7578 lays it out. */
    private static final class Multipart {

        static final String BOUNDARY = "----GliskTestBoundary7MA4YWxkTrZu0gW";
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        /** A file part; {@code contentType} null leaves out the part's Content-Type header. */
        Multipart file(String name, String filename, String contentType, byte[] content) {
            String header = "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
                    + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n");
            return part(header, content);
        }

        Multipart field(String name, String value) {
            return part("Content-Disposition: form-data; name=\"" + name + "\"\r\n", value.getBytes(UTF_8));
        }

        private Multipart part(String headers, byte[] content) {
            body.writeBytes(("--" + BOUNDARY + "\r\n" + headers + "\r\n").getBytes(UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(UTF_8));
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream closed = new ByteArrayOutputStream();
            closed.writeBytes(body.toByteArray());
            closed.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(UTF_8));
            return closed.toByteArray();
        }
    }
}

package io.glisk.local.pinata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glisk.cid.ContentIds;
import io.glisk.image.ImageTypes;
import io.glisk.local.RandomFaults;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * SIMULATOR — stands in for Pinata's v1 pinning API in local mode and tests, on the wire as Pinata speaks it:
 * {@code POST /pinning/pinFileToIPFS} (multipart {@code file}, {@code pinataOptions}, {@code pinataMetadata}) and
 * {@code POST /pinning/pinJSONToIPFS} with a bearer JWT, answering {@code {IpfsHash, PinSize, Timestamp}} with the
 * real CIDv1 of the pinned bytes, plus a gateway at {@value #GATEWAY_PATH}/{cid} that serves them. Pins are kept in
 * memory until {@link #reset()}. It is only registered in local mode, served by {@link PinataSimulatorWire};
 * production code reaches it only through
 * PINATA_API_URL and PINATA_GATEWAY.
 *
 * <p>Where it knowingly differs from Pinata: the CID is always a CIDv1, whatever {@code cidVersion} asks (Pinata
 * answers a CIDv0 {@code Qm…} for 0 or none; the version asked for is kept in {@link Pin#cidVersion()} so tests can
 * check it); {@code PinSize} is the content's length (Pinata reports the DAG's size, a little more above 256 KiB);
 * one {@code file} part per request (Pinata pins several as a directory).
 */
@Component
@Profile("local")
public class PinataSimulator {

    public static final String PATH = "/sim/pinata";
    public static final String GATEWAY_PATH = "/sim/ipfs";
    private static final Logger log = LoggerFactory.getLogger(PinataSimulator.class);
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);
    private static final String INVALID_REQUEST_FORMAT = "{\"error\":\"Invalid request format.\"}";

    /**
     * Content pinned under one CID, as the first request that pinned it described it.
     *
     * @param cidVersion the {@code cidVersion} of that request's pinataOptions, null when it gave none
     */
    public record Pin(byte[] bytes, String contentType, String name, Map<String, String> keyvalues,
                      Integer cidVersion) {
    }

    private final PinataSimulatorSettings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Pin> pins = new ConcurrentHashMap<>();
    private final Queue<PinataFault> fileFaults = new ConcurrentLinkedQueue<>();
    private final Queue<PinataFault> jsonFaults = new ConcurrentLinkedQueue<>();
    private final RandomFaults<PinataFault> randomFaults;
    private final Map<String, AtomicInteger> pinsByName = new ConcurrentHashMap<>();
    private final AtomicInteger filePins = new AtomicInteger();
    private final AtomicInteger jsonPins = new AtomicInteger();
    private final Queue<Long> fileRequestMillis = new ConcurrentLinkedQueue<>();
    private final Queue<Long> jsonRequestMillis = new ConcurrentLinkedQueue<>();
    private final AtomicReference<JsonNode> lastJsonContent = new AtomicReference<>();
    private final AtomicLong maxBodyBytes;
    private volatile String acceptedJwt;

    PinataSimulator(PinataSimulatorSettings settings) {
        this.settings = settings;
        this.maxBodyBytes = new AtomicLong(settings.maxBodyBytes());
        this.acceptedJwt = settings.jwt();
        this.randomFaults = RandomFaults.of(
                Map.entry(settings.throttleRate(), PinataFault.throttle(1000)),
                Map.entry(settings.errorRate(), PinataFault.of(PinataFault.Kind.SERVER_ERROR)),
                Map.entry(settings.slowRate(), PinataFault.slow(settings.slowMillis())));
        log.warn("SIMULATOR: Pinata pinning API simulated at {} and its gateway at {} (not the real Pinata; "
                + "nothing leaves this machine)", PATH, GATEWAY_PATH);
    }

    /** A request the simulator answers 400 to, with {@code details} saying why. */
    private static final class InvalidRequest extends Exception {
        InvalidRequest(String details) {
            super(details, null, false, false);
        }
    }

    // ---- wire API ------------------------------------------------------------------------------------

    ResponseEntity<String> pinFileToIpfs(String authorization, HttpServletRequest request) throws IOException, InterruptedException {
        fileRequestMillis.add(System.currentTimeMillis());
        long max = maxBodyBytes.get();
        if (request.getContentLengthLong() > max) {
            return tooLarge();
        }
        // short of that, the body is read (the multipart parts, here) before anything is
        // answered, so that a client still sending it gets the answer rather than a reset connection
        Collection<Part> parts;
        try {
            parts = isMultipart(request) ? request.getParts() : List.of();
        } catch (IllegalStateException e) {
            return tooLarge(); // over spring.servlet.multipart's limits
        } catch (IOException | ServletException e) {
            return invalidRequestFormat(); // not multipart/form-data as RFC 7578 lays it out
        }
        // a chunked body declares no length
        if (parts.stream().mapToLong(Part::getSize).sum() > max) {
            return tooLarge();
        }
        ResponseEntity<String> stopped = admit(authorization, fileFaults);
        if (stopped != null) {
            return stopped;
        }
        // multer, under Pinata, takes a part without a filename for a text field: then there is no file
        List<Part> files = parts.stream()
                .filter(p -> p.getName().equals("file") && p.getSubmittedFileName() != null).toList();
        if (files.isEmpty()) {
            return invalidRequestFormat();
        }
        try {
            if (files.size() > 1) {
                throw new InvalidRequest("The simulator pins one file per request (Pinata would pin a directory)");
            }
            Part file = files.get(0);
            byte[] bytes = file.getInputStream().readAllBytes();
            JsonNode options = object(jsonField(parts, "pinataOptions"), "pinataOptions");
            JsonNode metadata = object(jsonField(parts, "pinataMetadata"), "pinataMetadata");
            // Pinata names a file's pin after the file unless the metadata names it
            String name = metadata.path("name").isTextual() ? metadata.get("name").asText() : file.getSubmittedFileName();
            ResponseEntity<String> answer = pin(bytes, contentType(bytes, file.getContentType()), name,
                    keyvalues(metadata), cidVersion(options));
            filePins.incrementAndGet();
            return answer;
        } catch (InvalidRequest e) {
            return badRequest(e.getMessage());
        }
    }

    ResponseEntity<String> pinJsonToIpfs(String authorization, HttpServletRequest request) throws IOException, InterruptedException {
        jsonRequestMillis.add(System.currentTimeMillis());
        byte[] body = readBody(request);
        if (body == null) {
            return tooLarge();
        }
        ResponseEntity<String> stopped = admit(authorization, jsonFaults);
        if (stopped != null) {
            return stopped;
        }
        try {
            // Pinata's JSON body parser ignores bodies of any other type, so their pinataContent is missing
            JsonNode document = isJson(request) ? parse(body, "the request body") : MissingNode.getInstance();
            JsonNode content = document.path("pinataContent");
            if (content.isMissingNode() || content.isNull()) {
                throw new InvalidRequest("pinataContent is required (in a JSON body sent as application/json)");
            }
            JsonNode options = object(document.get("pinataOptions"), "pinataOptions");
            JsonNode metadata = object(document.get("pinataMetadata"), "pinataMetadata");
            String name = metadata.path("name").isTextual() ? metadata.get("name").asText() : null;
            // Pinata pins its own compact serialization of the content, not the bytes it was sent
            ResponseEntity<String> answer = pin(json.writeValueAsBytes(content), MediaType.APPLICATION_JSON_VALUE,
                    name, keyvalues(metadata), cidVersion(options));
            lastJsonContent.set(content);
            jsonPins.incrementAndGet();
            return answer;
        } catch (InvalidRequest e) {
            return badRequest(e.getMessage());
        }
    }

    /** The pinned bytes, like a public IPFS gateway: no token, immutable. */
    ResponseEntity<byte[]> gateway(String cid) {
        if (!ContentIds.isCid(cid)) {
            return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN)
                    .body(("invalid path \"/ipfs/" + cid + "\": not a CIDv1").getBytes(StandardCharsets.UTF_8));
        }
        Pin pin = pins.get(cid);
        if (pin == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.TEXT_PLAIN)
                    .body("Not Found".getBytes(StandardCharsets.UTF_8));
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(pin.contentType()))
                .header("Cache-Control", "public, max-age=29030400, immutable")
                // pinned HTML or SVG must not run scripts on the application's own origin
                .header("Content-Security-Policy", "sandbox")
                .header("X-Content-Type-Options", "nosniff")
                .body(pin.bytes());
    }

    // ---- controls for tests and demos -----------------------------------------------------------------

    /** Faults applied, in order, to the next pinFileToIPFS requests. */
    public void enqueueFile(PinataFault... next) {
        fileFaults.addAll(List.of(next));
    }

    /** Faults applied, in order, to the next pinJSONToIPFS requests. */
    public void enqueueJson(PinataFault... next) {
        jsonFaults.addAll(List.of(next));
    }

    /** The bearer JWT the simulator accepts from now on (e.g. to make the pipeline's JWT wrong). */
    public void setAcceptedJwt(String jwt) {
        acceptedJwt = jwt;
    }

    /** Request bodies larger than this get 413 from now on. */
    public void setMaxBodyBytes(long bytes) {
        maxBodyBytes.set(bytes);
    }

    /** Forget pins, faults and counters; back to the configured JWT and body limit. */
    public void reset() {
        pins.clear();
        fileFaults.clear();
        jsonFaults.clear();
        filePins.set(0);
        jsonPins.set(0);
        fileRequestMillis.clear();
        jsonRequestMillis.clear();
        lastJsonContent.set(null);
        pinsByName.clear();
        acceptedJwt = settings.jwt();
        maxBodyBytes.set(settings.maxBodyBytes());
    }

    /** pinFileToIPFS requests answered 200 with a CID, duplicates included. */
    public int filePins() {
        return filePins.get();
    }

    /** pinJSONToIPFS requests answered 200 with a CID, duplicates included. */
    public int jsonPins() {
        return jsonPins.get();
    }

    /** Successful pins by the name their request gave them (pinataMetadata.name, else the file's name), duplicates included. */
    public Map<String, Integer> pinsByName() {
        Map<String, Integer> counts = new HashMap<>();
        pinsByName.forEach((name, n) -> counts.put(name, n.get()));
        return counts;
    }

    public Optional<Pin> pinned(String cid) {
        return Optional.ofNullable(pins.get(cid));
    }

    /** When each pinFileToIPFS request arrived (epoch milliseconds), answered or not. */
    public List<Long> requestsFile() {
        return List.copyOf(fileRequestMillis);
    }

    /** When each pinJSONToIPFS request arrived (epoch milliseconds), answered or not. */
    public List<Long> requestsJson() {
        return List.copyOf(jsonRequestMillis);
    }

    /** The pinataContent of the last successful pinJSONToIPFS, or null. */
    public JsonNode lastJsonContent() {
        return lastJsonContent.get();
    }

    // ---- internals -----------------------------------------------------------------------------------

    /** The answer that stops a request before its content is looked at, or null to go on. */
    private ResponseEntity<String> admit(String authorization, Queue<PinataFault> faults) throws InterruptedException {
        if (!authorized(authorization)) {
            return unauthorized();
        }
        PinataFault fault = nextFault(faults);
        if (fault == null) {
            return null;
        }
        return switch (fault.kind()) {
            case THROTTLE -> {
                long seconds = Math.max(1, (fault.millis() + 999) / 1000);
                yield ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", Long.toString(seconds))
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(error("RATE_LIMITED", "Rate limit exceeded, try again in " + seconds + " seconds"));
            }
            case SERVER_ERROR -> ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(error("INTERNAL_SERVER_ERROR", "An unexpected error occurred, please try again"));
            case BAD_GATEWAY -> ResponseEntity.status(HttpStatus.BAD_GATEWAY).contentType(MediaType.TEXT_HTML)
                    .body("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
                            + "</center><hr><center>nginx</center></body></html>");
            case UNAUTHORIZED -> unauthorized();
            case BAD_REQUEST -> badRequest("The request was rejected (simulated fault)");
            case MALFORMED -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body("{\"IpfsHash\": \"bafk");
            case SLOW -> {
                Thread.sleep(fault.millis());
                yield null;
            }
        };
    }

    private PinataFault nextFault(Queue<PinataFault> faults) {
        PinataFault queued = faults.poll();
        if (queued != null) {
            return queued;
        }
        return randomFaults.draw();
    }

    private ResponseEntity<String> pin(byte[] bytes, String contentType, String name, Map<String, String> keyvalues,
                                       Integer cidVersion) {
        String cid = ContentIds.cidV1(bytes);
        if (name != null) {
            pinsByName.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        }
        boolean duplicate = pins.putIfAbsent(cid, new Pin(bytes, contentType, name, keyvalues, cidVersion)) != null;
        ObjectNode answer = json.createObjectNode()
                .put("IpfsHash", cid)
                .put("PinSize", bytes.length)
                .put("Timestamp", TIMESTAMP.format(Instant.now()));
        if (duplicate) {
            answer.put("isDuplicate", true);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer.toString());
    }

    /** The body, or null when it is larger than allowed; a declared length that is too large is not read at all. */
    private byte[] readBody(HttpServletRequest request) throws IOException {
        long max = maxBodyBytes.get();
        if (request.getContentLengthLong() > max) {
            return null;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
        return body.length > max ? null : body;
    }

    private static boolean isMultipart(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    private static boolean isJson(HttpServletRequest request) {
        try {
            return request.getContentType() != null
                    && MediaType.APPLICATION_JSON.equalsTypeAndSubtype(MediaType.parseMediaType(request.getContentType()));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    /** A form field holding JSON (read as UTF-8, as Pinata reads it), or null when there is no such part. */
    private JsonNode jsonField(Collection<Part> parts, String name) throws IOException, InvalidRequest {
        Optional<Part> part = parts.stream().filter(p -> p.getName().equals(name)).findFirst();
        return part.isEmpty() ? null : parse(part.get().getInputStream().readAllBytes(), name);
    }

    private JsonNode parse(byte[] body, String what) throws InvalidRequest {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new InvalidRequest(what + " is not valid JSON");
        }
    }

    /** An optional JSON object; empty when absent. */
    private JsonNode object(JsonNode node, String what) throws InvalidRequest {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return json.createObjectNode();
        }
        if (!node.isObject()) {
            throw new InvalidRequest(what + " must be a JSON object");
        }
        return node;
    }

    private static Map<String, String> keyvalues(JsonNode metadata) throws InvalidRequest {
        JsonNode given = metadata.path("keyvalues");
        if (given.isMissingNode() || given.isNull()) {
            return Map.of();
        }
        if (!given.isObject()) {
            throw new InvalidRequest("pinataMetadata.keyvalues must be an object");
        }
        Map<String, String> keyvalues = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : given.properties()) {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw new InvalidRequest("keyvalues values must be strings, numbers or dates: " + entry.getKey());
            }
            keyvalues.put(entry.getKey(), entry.getValue().asText());
        }
        return Collections.unmodifiableMap(keyvalues);
    }

    private static Integer cidVersion(JsonNode options) {
        JsonNode version = options.path("cidVersion");
        return version.isIntegralNumber() ? version.asInt() : null;
    }

    /** What the bytes are, else what the client said they are, else opaque bytes. */
    private static String contentType(byte[] bytes, String declared) {
        String sniffed = ImageTypes.sniff(bytes);
        if (sniffed != null) {
            return sniffed;
        }
        try {
            return declared == null ? MediaType.APPLICATION_OCTET_STREAM_VALUE
                    : MediaType.parseMediaType(declared).toString();
        } catch (InvalidMediaTypeException e) {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }
    }

    private boolean authorized(String authorization) {
        String jwt = acceptedJwt;
        // the caller's header goes first: isEqual's time depends on the first argument's length only
        return authorization != null && jwt != null && MessageDigest.isEqual(
                authorization.getBytes(StandardCharsets.UTF_8), ("Bearer " + jwt).getBytes(StandardCharsets.UTF_8));
    }

    private ResponseEntity<String> unauthorized() {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_JSON)
                .body(error("INVALID_CREDENTIALS", "Invalid authentication credentials provided"));
    }

    private static ResponseEntity<String> invalidRequestFormat() {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON).body(INVALID_REQUEST_FORMAT);
    }

    private ResponseEntity<String> badRequest(String details) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON).body(error("INVALID_REQUEST", details));
    }

    /** What the proxy in front of Pinata answers to a body over its limit: HTML, not JSON. */
    private static ResponseEntity<String> tooLarge() {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).contentType(MediaType.TEXT_HTML)
                .body("<html><head><title>413 Request Entity Too Large</title></head><body><center>"
                        + "<h1>413 Request Entity Too Large</h1></center><hr><center>nginx</center></body></html>");
    }

    private String error(String reason, String details) {
        ObjectNode body = json.createObjectNode();
        body.putObject("error").put("reason", reason).put("details", details);
        return body.toString();
    }
}

package io.glisk.local.avatar;

import io.glisk.local.LocalSettings;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * SIMULATOR — a small S3-compatible object store for local mode, path-style as MinIO is reached
 * ({@code {endpoint}/{bucket}/{key}}), speaking what the avatar stage uses of the S3 REST API: HeadBucket,
 * CreateBucket, PutObject (plain or {@code aws-chunked} bodies), GetObject, HeadObject, DeleteObject,
 * ListObjectsV2 and DeleteObjects, with S3's XML answers and error codes. Objects are served to anyone who asks
 * (the pictures' public URLs, {@code {S3_PUBLIC_URL_BASE}/{bucket}/{key}}); everything else needs a request signed
 * with the configured access key. Signatures are not verified: it stands in for a store, not for its security.
 * Objects live in files under the local data directory (a temporary one with GLISK_LOCAL_EPHEMERAL), so they
 * outlive a restart as the database does. Only registered in local mode; production reaches it only through
 * S3_ENDPOINT.
 */
@RestController
@Profile("local")
@RequestMapping(S3Simulator.PATH)
public class S3Simulator implements DisposableBean {

    public static final String PATH = "/sim/s3";
    private static final Logger log = LoggerFactory.getLogger(S3Simulator.class);
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern KEY = Pattern.compile("[\\w.!*'()-]+(/[\\w.!*'()-]+)*");
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_KEYS = 1000;

    private final S3SimulatorSettings settings;
    private final Path root;
    private final boolean temporary;
    private final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();

    S3Simulator(S3SimulatorSettings settings, LocalSettings local) throws IOException {
        this.settings = settings;
        this.temporary = local.ephemeral();
        this.root = temporary ? Files.createTempDirectory("glisk-s3-")
                : Files.createDirectories(Path.of(local.dataDir(), "s3").toAbsolutePath());
        log.warn("SIMULATOR: S3 simulated at {} (objects kept in {}), not a real S3", PATH,
                temporary ? "a temporary directory" : root);
    }

    // ---- buckets -------------------------------------------------------------------------------------

    @RequestMapping(path = {"/{bucket}", "/{bucket}/"}, method = RequestMethod.HEAD)
    public ResponseEntity<String> headBucket(@PathVariable String bucket, HttpServletRequest request) {
        ResponseEntity<String> refused = signed(request, bucket);
        if (refused != null) {
            // a HEAD answer has no body: the status says it all
            return ResponseEntity.status(refused.getStatusCode()).build();
        }
        return Files.isDirectory(objects(bucket)) ? ResponseEntity.ok().build() : ResponseEntity.notFound().build();
    }

    @PutMapping({"/{bucket}", "/{bucket}/"})
    public ResponseEntity<String> createBucket(@PathVariable String bucket, HttpServletRequest request) throws IOException {
        ResponseEntity<String> refused = signed(request, bucket);
        if (refused != null) {
            return refused;
        }
        if (Files.isDirectory(objects(bucket))) {
            return error(HttpStatus.CONFLICT, "BucketAlreadyOwnedByYou",
                    "Your previous request to create the named bucket succeeded and you already own it.", bucket);
        }
        Files.createDirectories(objects(bucket));
        Files.createDirectories(meta(bucket));
        return ResponseEntity.ok().header(HttpHeaders.LOCATION, "/" + bucket).build();
    }

    /** ListObjectsV2: keys under a prefix in lexicographic order, a page of at most max-keys. */
    @GetMapping({"/{bucket}", "/{bucket}/"})
    public ResponseEntity<String> list(@PathVariable String bucket, HttpServletRequest request,
                                       @RequestParam(name = "prefix", defaultValue = "") String prefix,
                                       @RequestParam(name = "max-keys", defaultValue = "1000") int maxKeys,
                                       @RequestParam(name = "continuation-token", required = false) String token,
                                       @RequestParam(name = "start-after", required = false) String startAfter,
                                       @RequestParam(name = "encoding-type", required = false) String encoding) throws IOException {
        ResponseEntity<String> refused = signed(request, bucket);
        if (refused != null) {
            return refused;
        }
        if (!Files.isDirectory(objects(bucket))) {
            return noSuchBucket(bucket);
        }
        String after = token != null ? new String(HexFormat.of().parseHex(token), StandardCharsets.UTF_8) : startAfter;
        int limit = Math.max(1, Math.min(MAX_KEYS, maxKeys));
        List<String> keys;
        try (Stream<Path> files = Files.walk(objects(bucket))) {
            keys = files.filter(Files::isRegularFile)
                    .map(file -> objects(bucket).relativize(file).toString().replace('\\', '/'))
                    .filter(key -> key.startsWith(prefix) && (after == null || key.compareTo(after) > 0))
                    .sorted().limit(limit + 1L).toList();
        }
        boolean truncated = keys.size() > limit;
        List<String> page = truncated ? keys.subList(0, limit) : keys;
        StringBuilder xml = new StringBuilder(prolog()).append("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
                .append(element("Name", bucket)).append(element("Prefix", prefix))
                .append(element("KeyCount", Integer.toString(page.size()))).append(element("MaxKeys", Integer.toString(limit)))
                .append(element("IsTruncated", Boolean.toString(truncated)));
        if ("url".equals(encoding)) {
            xml.append(element("EncodingType", "url"));
        }
        for (String key : page) {
            Path file = objects(bucket).resolve(key);
            xml.append("<Contents>").append(element("Key", key))
                    .append(element("LastModified", ISO.format(Files.getLastModifiedTime(file).toInstant())))
                    .append(element("ETag", "\"" + etag(bucket, key) + "\""))
                    .append(element("Size", Long.toString(Files.size(file))))
                    .append(element("StorageClass", "STANDARD")).append("</Contents>");
        }
        if (truncated) {
            xml.append(element("NextContinuationToken",
                    HexFormat.of().formatHex(page.get(page.size() - 1).getBytes(StandardCharsets.UTF_8))));
        }
        return xml(HttpStatus.OK, xml.append("</ListBucketResult>").toString());
    }

    /** DeleteObjects: the keys of a {@code <Delete>} document, each gone afterwards whether it existed or not. */
    @PostMapping(path = {"/{bucket}", "/{bucket}/"}, params = "delete")
    public ResponseEntity<String> deleteObjects(@PathVariable String bucket, HttpServletRequest request) throws IOException {
        ResponseEntity<String> refused = signed(request, bucket);
        if (refused != null) {
            return refused;
        }
        if (!Files.isDirectory(objects(bucket))) {
            return noSuchBucket(bucket);
        }
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(request.getInputStream().readNBytes(4 << 20)));
        } catch (Exception e) {
            return error(HttpStatus.BAD_REQUEST, "MalformedXML", "The XML you provided was not well-formed or did "
                    + "not validate against our published schema.", bucket);
        }
        boolean quiet = "true".equals(text(document.getElementsByTagName("Quiet")));
        NodeList keys = document.getElementsByTagName("Key");
        StringBuilder xml = new StringBuilder(prolog()).append("<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        for (int i = 0; i < keys.getLength(); i++) {
            String key = keys.item(i).getTextContent();
            if (!KEY.matcher(key).matches()) {
                xml.append("<Error>").append(element("Key", key)).append(element("Code", "InvalidArgument"))
                        .append(element("Message", "Invalid key")).append("</Error>");
                continue;
            }
            remove(bucket, key);
            if (!quiet) {
                xml.append("<Deleted>").append(element("Key", key)).append("</Deleted>");
            }
        }
        return xml(HttpStatus.OK, xml.append("</DeleteResult>").toString());
    }

    // ---- objects -------------------------------------------------------------------------------------

    @PutMapping("/{bucket}/{*key}")
    public ResponseEntity<String> putObject(@PathVariable String bucket, @PathVariable("key") String path,
                                            HttpServletRequest request) throws IOException {
        String key = key(path);
        ResponseEntity<String> refused = signedFor(request, bucket, key, path);
        if (refused != null) {
            return refused;
        }
        if (!Files.isDirectory(objects(bucket))) {
            return noSuchBucket(bucket);
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxObjectBytes() * 2 + 1024));
        if (chunked(request)) {
            body = decodeChunks(body);
            if (body == null) {
                return error(HttpStatus.BAD_REQUEST, "IncompleteBody", "The request body is not valid aws-chunked data.", key);
            }
        }
        if (body.length > settings.maxObjectBytes()) {
            return error(HttpStatus.BAD_REQUEST, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed "
                    + "object size.", key);
        }
        String type = request.getContentType() == null ? "binary/octet-stream" : request.getContentType();
        String etag = md5(body);
        write(objects(bucket).resolve(key), body);
        write(meta(bucket).resolve(key), (type + "\n" + etag).getBytes(StandardCharsets.UTF_8));
        writes.computeIfAbsent(bucket + "/" + key, k -> new AtomicInteger()).incrementAndGet();
        return ResponseEntity.ok().eTag("\"" + etag + "\"").build();
    }

    /** GetObject and HeadObject: open to anyone, as the public URLs of the pictures are. */
    @GetMapping("/{bucket}/{*key}")
    public ResponseEntity<byte[]> getObject(@PathVariable String bucket, @PathVariable("key") String path) throws IOException {
        String key = key(path);
        Path file = key == null || !BUCKET.matcher(bucket).matches() ? null : objects(bucket).resolve(key);
        if (file == null || !Files.isRegularFile(file)) {
            ResponseEntity<String> missing = error(HttpStatus.NOT_FOUND, "NoSuchKey", "The specified key does not exist.",
                    path);
            return ResponseEntity.status(missing.getStatusCode()).headers(missing.getHeaders())
                    .body(missing.getBody().getBytes(StandardCharsets.UTF_8));
        }
        String[] meta = Files.readString(meta(bucket).resolve(key)).split("\n", 2);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(meta[0])).eTag("\"" + meta[1] + "\"")
                .lastModified(Files.getLastModifiedTime(file).toMillis()).header("X-Glisk-Simulator", "s3")
                .body(Files.readAllBytes(file));
    }

    @DeleteMapping("/{bucket}/{*key}")
    public ResponseEntity<String> deleteObject(@PathVariable String bucket, @PathVariable("key") String path,
                                               HttpServletRequest request) throws IOException {
        String key = key(path);
        ResponseEntity<String> refused = signedFor(request, bucket, key, path);
        if (refused != null) {
            return refused;
        }
        remove(bucket, key);
        return ResponseEntity.noContent().build();
    }

    // ---- controls for tests and demos -----------------------------------------------------------------

    /** How many times each object ({@code bucket/key}) was written since the last reset. */
    public Map<String, Integer> writes() {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        writes.forEach((key, n) -> counts.put(key, n.get()));
        return counts;
    }

    /** Forget the write counts (the objects stay). */
    public void reset() {
        writes.clear();
    }

    @Override
    public void destroy() throws IOException {
        if (temporary) {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }

    // ---- internals -----------------------------------------------------------------------------------

    /** A request signed with our access key is let through (null); otherwise S3's refusal. */
    private ResponseEntity<String> signed(HttpServletRequest request, String bucket) {
        if (!BUCKET.matcher(bucket).matches()) {
            return error(HttpStatus.BAD_REQUEST, "InvalidBucketName", "The specified bucket is not valid.", bucket);
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        String credential = request.getParameter("X-Amz-Credential");
        Matcher signedBy = CREDENTIAL.matcher(authorization != null ? authorization
                : credential != null ? "Credential=" + credential : "");
        if (!signedBy.find()) {
            return error(HttpStatus.FORBIDDEN, "AccessDenied", "Access Denied", bucket);
        }
        byte[] given = signedBy.group(1).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, settings.accessKey().getBytes(StandardCharsets.UTF_8))) {
            return error(HttpStatus.FORBIDDEN, "InvalidAccessKeyId",
                    "The AWS Access Key Id you provided does not exist in our records.", bucket);
        }
        return null;
    }

    /** A signed request about a key this store keeps is let through (null); otherwise S3's refusal. */
    private ResponseEntity<String> signedFor(HttpServletRequest request, String bucket, String key, String path) {
        ResponseEntity<String> refused = signed(request, bucket);
        return refused != null || key != null ? refused
                : error(HttpStatus.BAD_REQUEST, "InvalidArgument", "Invalid key", path);
    }

    /** The key of a {@code /{*key}} capture, or null when it is not one this store keeps. */
    private static String key(String path) {
        String key = path.startsWith("/") ? path.substring(1) : path;
        return KEY.matcher(key).matches() && !key.contains("..") ? key : null;
    }

    private Path objects(String bucket) {
        return root.resolve(bucket).resolve("objects");
    }

    private Path meta(String bucket) {
        return root.resolve(bucket).resolve("meta");
    }

    private String etag(String bucket, String key) throws IOException {
        return Files.readString(meta(bucket).resolve(key)).split("\n", 2)[1];
    }

    private void remove(String bucket, String key) throws IOException {
        Files.deleteIfExists(objects(bucket).resolve(key));
        Files.deleteIfExists(meta(bucket).resolve(key));
    }

    /** Written whole or not at all: a reader never sees half an object. */
    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = Files.createTempFile(file.getParent(), ".upload-", ".part");
        try {
            Files.write(partial, bytes);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (NoSuchFileException gone) {
                // moved
            }
        }
    }

    private static boolean chunked(HttpServletRequest request) {
        String sha = request.getHeader("x-amz-content-sha256");
        String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        return (sha != null && sha.startsWith("STREAMING-")) || (encoding != null && encoding.contains("aws-chunked"));
    }

    /**
     * The payload of an {@code aws-chunked} body: chunks of {@code <hex size>[;chunk-signature=…]\r\n<bytes>\r\n},
     * a last chunk of size 0, then optional trailers. Null when the body is not such data.
     */
    static byte[] decodeChunks(byte[] body) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream(body.length);
        InputStream in = new ByteArrayInputStream(body);
        try {
            while (true) {
                String header = line(in);
                if (header == null) {
                    return null;
                }
                int end = header.indexOf(';');
                int size = Integer.parseInt((end < 0 ? header : header.substring(0, end)).strip(), 16);
                if (size == 0) {
                    return payload.toByteArray();
                }
                byte[] chunk = in.readNBytes(size);
                if (chunk.length != size || !"".equals(line(in))) {
                    return null;
                }
                payload.write(chunk);
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int last = line.length() - 1;
                return last >= 0 && line.charAt(last) == '\r' ? line.substring(0, last) : line.toString();
            }
            if (line.length() > 4096) {
                return null;
            }
            line.append((char) c);
        }
        return null;
    }

    private static ResponseEntity<String> noSuchBucket(String bucket) {
        return error(HttpStatus.NOT_FOUND, "NoSuchBucket", "The specified bucket does not exist", bucket);
    }

    private static ResponseEntity<String> error(HttpStatus status, String code, String message, String resource) {
        return xml(status, prolog() + "<Error>" + element("Code", code) + element("Message", message)
                + element("Resource", resource) + element("RequestId", "simulator") + "</Error>");
    }

    private static ResponseEntity<String> xml(HttpStatus status, String body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_XML).header("X-Glisk-Simulator", "s3")
                .body(body);
    }

    private static String prolog() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    }

    private static String element(String name, String value) {
        return "<" + name + ">" + value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</" + name + ">";
    }

    private static String text(NodeList nodes) {
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}

package io.glisk.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.glisk.support.PipelineTest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.FlightRecorder;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Who may use Hawtio, Jolokia, the actuator and the admin API, over real HTTP against the running service
 * (with Camel's JMX on, as in production and in every pipeline test, so that the route MBeans exist).
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminSecurityTest extends PipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CamelContext camel;

    /**
     * A route's MBean, as Hawtio and Jolokia name it: under the context's management name, "glisk" — or, when the
     * test JVM runs several pipelines with JMX on, the unique name Camel gave this one.
     */
    private String route(String id) {
        return "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\"" + id + "\"";
    }

    private String generationRouteInUrl() {
        return route("generation").replace("\"", "%22");
    }

    /** The Camel context's MBean, its keys in another order than Camel's. */
    private String camelContextMBean() {
        return "org.apache.camel:name=\"" + camel.getName() + "\",type=context,context=" + camel.getManagementName();
    }

    @Test
    void everythingButThePublicEndpointsNeedsCredentials() {
        for (String path : List.of("/actuator/prometheus", "/actuator/jolokia", "/actuator/jolokia/version",
                "/actuator/hawtio/", "/actuator/hawtio/jolokia/version", "/actuator", "/api/pipeline/summary",
                "/api/tokens/1", "/api/detection/recover", "/no/such/path")) {
            HttpResponse<String> response = http("GET", path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Basic realm=\"glisk\"");
            // a refused API request leaves no session behind
            assertThat(response.headers().allValues("Set-Cookie")).as(path).noneMatch(c -> c.startsWith("JSESSIONID"));
        }
        for (String path : List.of("/api/detection/recover", "/api/tokens/1/retry", "/api/tokens/retry", "/actuator/jolokia")) {
            assertThat(http("POST", path, "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json")
                    .statusCode()).as("POST " + path).isEqualTo(401);
        }
        // a browser opening the console is sent to the login form instead of a Basic pop-up
        HttpResponse<String> page = http("GET", "/actuator/hawtio/", null,
                "Accept", "text/html,application/xhtml+xml", "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Site", "none");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        // and a script in a browser gets a plain 401: no challenge, so the browser never keeps Basic credentials
        HttpResponse<String> fetch = http("GET", "/actuator/hawtio/jolokia/version", null, "Sec-Fetch-Mode", "cors",
                "Sec-Fetch-Site", "same-origin");
        assertThat(fetch.statusCode()).isEqualTo(401);
        assertThat(fetch.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void wrongCredentialsAreRefusedAndNeverShown(CapturedOutput output) {
        for (String credentials : List.of(ADMIN_USER + ":wrong-" + ADMIN_PASSWORD, "nobody:" + ADMIN_PASSWORD,
                ADMIN_USER + ":" + VIEWER_PASSWORD, VIEWER_USER + ":" + ADMIN_PASSWORD, ADMIN_USER + ":")) {
            HttpResponse<String> response = http("GET", "/actuator/prometheus", null, "Authorization", basic(credentials));
            assertThat(response.statusCode()).as(credentials).isEqualTo(401);
            assertThat(response.body()).doesNotContain(ADMIN_PASSWORD).doesNotContain(VIEWER_PASSWORD);
        }
        assertThat(admin("GET", "/actuator/prometheus", null).statusCode()).isEqualTo(200);
        assertThat(output).doesNotContain(ADMIN_PASSWORD).doesNotContain(VIEWER_PASSWORD);
    }

    @Test
    void theAdminSeesRouteStatisticsThroughJolokia() throws IOException {
        assertThat(admin("GET", "/actuator/prometheus", null).statusCode()).isEqualTo(200);

        JsonNode routes = jolokia(admin("GET", "/actuator/jolokia/search/org.apache.camel:type=routes,*", null));
        assertThat(routes.get("value")).extracting(JsonNode::asText).contains(route("generation"),
                route("ipfs"), route("reveal"));

        // a token through generation shows in the route's statistics
        detected(1, author("0xAUTHOR", "a lighthouse at dusk"));
        await().atMost(Duration.ofSeconds(20)).until(() -> exchangesTotal(
                admin("GET", "/actuator/jolokia/read/" + generationRouteInUrl() + "/ExchangesTotal", null)) >= 1);
        // the same through the POST form and Hawtio's own Jolokia address
        JsonNode read = jolokia(admin("POST", "/actuator/hawtio/jolokia",
                ("{\"type\":\"read\",\"mbean\":" + JSON.writeValueAsString(route("generation"))
                        + ",\"attribute\":[\"ExchangesTotal\",\"ExchangesCompleted\",\"State\"]}").getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json"));
        assertThat(read.at("/value/ExchangesTotal").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(read.at("/value/State").asText()).isEqualTo("Started");
    }

    @Test
    void theConsoleLoadsForTheAdmin() {
        HttpResponse<String> page = admin("GET", "/actuator/hawtio/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<title>Hawtio</title>").contains("<base href=\"/actuator/hawtio/\">");
    }

    @Test
    void aBrowserSignsInWithTheFormAndHawtioSendsTheCsrfToken() throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> console = browser.navigate("/actuator/hawtio/");
        assertThat(console.statusCode()).isEqualTo(302);

        HttpResponse<String> login = browser.signIn(ADMIN_USER, "not-the-password");
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
        login = browser.signIn(ADMIN_USER, ADMIN_PASSWORD);
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/actuator/hawtio/"));

        console = browser.navigate("/actuator/hawtio/");
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).contains("<title>Hawtio</title>");
        String token = browser.cookie("XSRF-TOKEN");
        assertThat(token).isNotBlank();

        // what Hawtio's front end sends: the session cookie and the token copied into X-XSRF-TOKEN
        String version = "[{\"type\":\"version\"}]";
        HttpResponse<String> withToken = browser.fetch("POST", "/actuator/hawtio/jolokia", version, "X-XSRF-TOKEN", token);
        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(jolokia(withToken).get(0).get("status").asInt()).isEqualTo(200);
        // a forged request riding on the session has no token
        assertThat(browser.fetch("POST", "/actuator/hawtio/jolokia", version).statusCode()).isEqualTo(403);
        assertThat(browser.fetch("POST", "/actuator/jolokia", "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\","
                + "\"operation\":\"gc\"}", "X-XSRF-TOKEN", "made-up").statusCode()).isEqualTo(403);
        // nor may one with remembered Basic credentials come from another site
        assertThat(http("POST", "/actuator/jolokia", version.getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain",
                "Authorization", basic(ADMIN_USER + ":" + ADMIN_PASSWORD), "Sec-Fetch-Mode", "no-cors",
                "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);

        // Hawtio's "Log out" ends the session
        browser.navigate("/actuator/hawtio/auth/logout");
        assertThat(browser.navigate("/actuator/hawtio/").statusCode()).isEqualTo(302);
    }

    @Test
    void theViewerReadsButChangesNothing() throws IOException {
        assertThat(viewer("GET", "/actuator/prometheus", null).statusCode()).isEqualTo(200);
        assertThat(viewer("GET", "/actuator/hawtio/", null).statusCode()).isEqualTo(200);
        assertThat(viewer("GET", "/api/pipeline/summary", null).statusCode()).isNotIn(401, 403);
        assertThat(viewer("GET", "/api/tokens/1", null).statusCode()).isNotIn(401, 403);
        assertThat(viewer("POST", "/api/detection/recover", null).statusCode()).isEqualTo(403);
        assertThat(viewer("POST", "/api/tokens/1/retry", null).statusCode()).isEqualTo(403);
        assertThat(viewer("POST", "/api/tokens/retry", "{\"dryRun\": true}").statusCode()).isEqualTo(403);

        // Jolokia: read, list, search, version
        JsonNode read = jolokia(viewer("GET", "/actuator/jolokia/read/" + generationRouteInUrl() + "/ExchangesTotal", null));
        assertThat(read.get("value").isNumber()).isTrue();
        assertThat(viewer("GET", "/actuator/jolokia/list/org.apache.camel", null).statusCode()).isEqualTo(200);
        assertThat(viewer("GET", "/actuator/jolokia/version", null).statusCode()).isEqualTo(200);
        assertThat(viewer("GET", "/actuator/jolokia", null).statusCode()).isEqualTo(200);
        JsonNode bulk = jolokia(viewer("POST", "/actuator/jolokia", "[{\"type\":\"read\",\"mbean\":" + JSON.writeValueAsString(route("generation"))
                + ",\"attribute\":\"ExchangesTotal\"},{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"},"
                + "{\"type\":\"list\",\"path\":\"java.lang\"},{\"type\":\"version\"}]"));
        assertThat(bulk).hasSize(4).allSatisfy(answer -> assertThat(answer.get("status").asInt()).isEqualTo(200));

        // but no exec or write, in the GET form (also through Hawtio's address and Jolokia's "p" parameter) ...
        for (String path : List.of(
                "/actuator/jolokia/exec/" + generationRouteInUrl() + "/stop",
                "/actuator/jolokia/EXEC/" + generationRouteInUrl() + "/stop",
                "/actuator/jolokia/%65xec/" + generationRouteInUrl() + "/stop",
                "/actuator/jolokia//exec/" + generationRouteInUrl() + "/stop",
                "/actuator/hawtio/jolokia/exec/" + generationRouteInUrl() + "/stop",
                "/actuator/jolokia?p=/exec/" + generationRouteInUrl() + "/stop",
                "/actuator/jolokia/?p=/exec/" + generationRouteInUrl() + "/stop",
                "/actuator/jolokia/read/java.lang:type=Memory/Verbose?p=/exec/" + generationRouteInUrl() + "/stop",
                "/actuator/jolokia/write/java.lang:type=Memory/Verbose/true",
                "/actuator/jolokia/notification/register",
                "/actuator/%6Aolokia/exec/" + generationRouteInUrl() + "/stop")) {
            assertThat(viewer("GET", path, null).statusCode()).as(path).isIn(400, 403, 500);
        }
        // ... nor in the POST form, alone or inside a bulk request, however it is spelled
        String exec = "{\"type\":\"exec\",\"mbean\":" + JSON.writeValueAsString(route("generation")) + ",\"operation\":\"stop()\"}";
        String write = "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}";
        String readMemory = "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\"}";
        for (String body : List.of(exec, write, "[" + readMemory + "," + exec + "]", "[" + readMemory + "," + write + "]",
                exec.replace("\"exec\"", "\"EXEC\""), exec.replace("\"exec\"", "\"\\u0065xec\""),
                exec.replace("\"type\":\"exec\"", "\"type\":\"read\",\"type\":\"exec\""),
                readMemory + exec, "[" + readMemory + "]" + exec, "[[" + exec + "]]", "[]", "not json",
                readMemory.replace("}", ",\"target\":{\"url\":\"service:jmx:rmi:///jndi/rmi://localhost:1/jmxrmi\"}}"),
                // Hawtio's permission query passes, but no other operation of its MBean or of a look-alike name
                "{\"type\":\"exec\",\"mbean\":\"" + ReadOnlyJolokia.HAWTIO_PERMISSIONS + "\",\"operation\":\"gc\"}",
                "{\"type\":\"exec\",\"mbean\":\"hawtio:name=HawtioDummyJMXSecurity,type=security,area=jmx\",\"operation\":\"canInvoke\","
                        + "\"arguments\":[\"java.lang:type=Memory\"]}")) {
            HttpResponse<String> response = viewer("POST", "/actuator/jolokia", body);
            assertThat(response.statusCode()).as(body).isEqualTo(403);
            assertThat(viewer("POST", "/actuator/hawtio/jolokia", body).statusCode()).as(body).isEqualTo(403);
        }
        JsonNode permission = jolokia(viewer("POST", "/actuator/hawtio/jolokia", "{\"type\":\"exec\",\"mbean\":\""
                + ReadOnlyJolokia.HAWTIO_PERMISSIONS + "\",\"operation\":\"canInvoke(java.lang.String)\",\"arguments\":[\"java.lang:type=Memory\"]}"));
        assertThat(permission.get("status").asInt()).isEqualTo(200);

        // the route is still running, and the admin may do what the viewer may not
        assertThat(jolokia(viewer("GET", "/actuator/jolokia/read/" + generationRouteInUrl() + "/State", null))
                .get("value").asText()).isEqualTo("Started");
        JsonNode gc = jolokia(admin("POST", "/actuator/jolokia", "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}"
                .getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json"));
        assertThat(gc.get("status").asInt()).isEqualTo(200);
    }

    @Test
    void nobodyRunsCodeWritesFilesOrTunesTheJvmThroughJolokiaNotEvenTheAdmin(@TempDir Path dir) throws IOException {
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String heapDumpOnOutOfMemory = hotSpot.getVMOption("HeapDumpOnOutOfMemoryError").getValue();
        Path heapDump = dir.resolve("heap.hprof");
        Path recording = dir.resolve("recording.jfr");
        Path written = dir.resolve("from-camel.txt");

        // the GET form, through both Jolokia addresses and the "p" parameter, also with a name pattern
        for (String path : List.of(
                "/actuator/jolokia/exec/com.sun.management:type=DiagnosticCommand/jvmtiAgentLoad/agent.jar",
                "/actuator/hawtio/jolokia/exec/com.sun.management:type=HotSpotDiagnostic/setVMOption/HeapDumpOnOutOfMemoryError/"
                        + !Boolean.parseBoolean(heapDumpOnOutOfMemory),
                "/actuator/jolokia?p=/exec/jdk.management.jfr:type=FlightRecorder/newRecording",
                "/actuator/jolokia/exec/com.sun.management:type=DiagnosticCommand,*/vmSystemProperties",
                "/actuator/jolokia/exec/*:type=Diagnostic*/vmSystemProperties",
                "/actuator/jolokia/write/java.lang:type=Memory/Verbose/true",
                "/actuator/jolokia/write/java.lang:type=*/Verbose/true")) {
            assertRefused(admin("GET", path, null), path);
        }
        // the POST form: the operation with or without its signature, the type in capitals, keys in another
        // order, a name pattern ...
        for (String body : List.of(
                exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap(java.lang.String,boolean)", heapDump.toString(), true),
                exec("com.sun.management:type=DiagnosticCommand", "jfrStart", List.of("filename=" + recording)),
                exec("com.sun.management:type=DiagnosticCommand", "compilerDirectivesAdd", List.of(dir.resolve("directives.json").toString())),
                exec("com.sun.management:type=DiagnosticCommand", "jvmtiAgentLoad", List.of(dir.resolve("agent.jar").toString()))
                        .replace("\"exec\"", "\"EXEC\""),
                exec("jdk.management.jfr:type=FlightRecorder", "takeSnapshot"),
                exec("JMImplementation:type=MBeanServerDelegate", "getMBeanServerId"),
                exec(camelContextMBean(), "sendStringBody", "file:" + dir + "?fileName=" + written.getFileName(), "through JMX"),
                exec(camelContextMBean(), "requestBody(java.lang.String,java.lang.Object)", "file:" + dir + "?fileName=" + written.getFileName(), "x"),
                exec("org.apache.camel:type=context,*", "sendBody", "file:" + dir + "?fileName=" + written.getFileName(), "x"),
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=Threading\",\"attribute\":\"ThreadContentionMonitoringEnabled\",\"value\":true}",
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=ClassLoading\",\"attribute\":\"Verbose\",\"value\":true}")) {
            assertRefused(adminJolokia(body), body);
            assertRefused(admin("POST", "/actuator/hawtio/jolokia", body.getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/json"), body);
        }
        // ... and inside a bulk request, where the admin's other requests still run
        JsonNode bulk = JSON.readTree(adminJolokia("["
                + "{\"type\":\"read\",\"mbean\":" + JSON.writeValueAsString(route("generation")) + ",\"attribute\":\"State\"},"
                + exec("com.sun.management:type=DiagnosticCommand", "vmSystemProperties", List.of()) + ","
                + exec("jdk.management.jfr:type=FlightRecorder", "newRecording") + ","
                + "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}]").body());
        assertThat(bulk).extracting(answer -> answer.get("status").asInt()).containsExactly(200, 403, 403, 403);
        // a quoted key value names another MBean, one that does not exist
        assertThat(JSON.readTree(adminJolokia(exec("com.sun.management:type=\"DiagnosticCommand\"", "vmSystemProperties", List.of()))
                .body()).get("status").asInt()).isEqualTo(404);

        // nothing happened
        assertThat(dir).isEmptyDirectory();
        assertThat(hotSpot.getVMOption("HeapDumpOnOutOfMemoryError").getValue()).isEqualTo(heapDumpOnOutOfMemory);
        assertThat(ManagementFactory.getMemoryMXBean().isVerbose()).isFalse();
        assertThat(ManagementFactory.getClassLoadingMXBean().isVerbose()).isFalse();
        assertThat(ManagementFactory.getThreadMXBean().isThreadContentionMonitoringEnabled()).isFalse();
        assertThat(FlightRecorder.isInitialized() ? FlightRecorder.getFlightRecorder().getRecordings() : List.of()).isEmpty();

        // while the admin still stops and starts routes, runs the JVM's other operations and reads everything
        try {
            assertThat(jolokia(adminJolokia(exec(route("generation"), "stop()"))).get("status").asInt()).isEqualTo(200);
            assertThat(jolokia(admin("GET", "/actuator/jolokia/read/" + generationRouteInUrl() + "/State", null))
                    .get("value").asText()).isEqualTo("Stopped");
        } finally {
            assertThat(jolokia(adminJolokia(exec(route("generation"), "start()"))).get("status").asInt()).isEqualTo(200);
        }
        assertThat(jolokia(admin("GET", "/actuator/jolokia/read/" + generationRouteInUrl() + "/State", null))
                .get("value").asText()).isEqualTo("Started");
        assertThat(jolokia(admin("GET", "/actuator/jolokia/exec/java.lang:type=Threading/findDeadlockedThreads", null))
                .get("status").asInt()).isEqualTo(200);
        assertThat(jolokia(admin("GET", "/actuator/jolokia/read/jdk.management.jfr:type=FlightRecorder/Recordings", null))
                .get("value").isArray()).isTrue();
    }

    @Test
    void jolokiaNeverConnectsToAJmxAddressARequestNames() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try (Socket connection = listener.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            String target = "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + listener.getLocalPort() + "/jmxrmi";
            JsonNode uptime = jolokia(adminJolokia("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"Uptime\","
                    + "\"target\":{\"url\":\"" + target + "\"}}"));
            // answered from this JVM, without a connection to the address
            assertThat(uptime.get("value").asLong()).isPositive();
            assertThat(connections).hasValue(0);
        }
    }

    @Test
    void thePublicEndpointsStayPublic() throws IOException {
        assertThat(http("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(http("GET", "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(http("GET", "/actuator/health/readiness", null).statusCode()).isIn(200, 503);

        // reaches the webhook's own HMAC check, which refuses it: not Spring Security (no Basic challenge)
        HttpResponse<String> webhook = http("POST", "/webhooks/alchemy", "{}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json");
        assertThat(webhook.statusCode()).isEqualTo(401);
        assertThat(webhook.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(webhook.body()).contains("X-Alchemy-Signature");

        HttpResponse<String> author = http("GET", "/api/authors/0x1111111111111111111111111111111111111111", null);
        assertThat(author.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(author.body()).get("error").asText()).contains("no author");
        assertThat(http("GET", "/api/local/chain", null).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> viewer(String method, String path, String body) {
        return body == null
                ? http(method, path, null, "Authorization", basic(VIEWER_USER + ":" + VIEWER_PASSWORD))
                : http(method, path, body.getBytes(StandardCharsets.UTF_8), "Authorization", basic(VIEWER_USER + ":" + VIEWER_PASSWORD),
                        "Content-Type", "application/json");
    }

    private HttpResponse<String> adminJolokia(String body) {
        return admin("POST", "/actuator/jolokia", body.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    }

    private static String exec(String mbean, String operation, Object... arguments) throws IOException {
        return "{\"type\":\"exec\",\"mbean\":" + JSON.writeValueAsString(mbean) + ",\"operation\":"
                + JSON.writeValueAsString(operation) + ",\"arguments\":" + JSON.writeValueAsString(arguments) + "}";
    }

    /** Jolokia's own refusal: its error answer with status 403, and the reason, nothing more. */
    private static void assertRefused(HttpResponse<String> response, String request) throws IOException {
        assertThat(response.statusCode()).as(request).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("status").asInt()).as(request + " -> " + response.body()).isEqualTo(403);
        assertThat(answer.get("error").asText()).as(request).contains("forbidden");
        assertThat(answer.has("stacktrace")).as(request).isFalse();
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode jolokia(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        if (answer.isObject()) {
            assertThat(answer.get("status").asInt()).as(response.body()).isEqualTo(200);
        }
        return answer;
    }

    private static long exchangesTotal(HttpResponse<String> response) throws IOException {
        return jolokia(response).get("value").asLong();
    }

    /** A browser: cookies, no Basic credentials, and the Sec-Fetch-* headers browsers send. */
    private final class Browser {

        private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> navigate(String path) throws Exception {
            return send(HttpRequest.newBuilder(uri(path)).GET()
                    .header("Accept", "text/html,application/xhtml+xml").header("Sec-Fetch-Mode", "navigate")
                    .header("Sec-Fetch-Site", "same-origin"));
        }

        HttpResponse<String> signIn(String user, String password) throws Exception {
            HttpResponse<String> form = navigate("/login");
            assertThat(form.statusCode()).isEqualTo(200);
            Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(form.body());
            assertThat(csrf.find()).as(form.body()).isTrue();
            String body = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                    + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
            return send(HttpRequest.newBuilder(uri("/login")).POST(HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Sec-Fetch-Mode", "navigate")
                    .header("Sec-Fetch-Site", "same-origin"));
        }

        HttpResponse<String> fetch(String method, String path, String body, String... headers) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                    .method(method, HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json").header("Sec-Fetch-Mode", "cors").header("Sec-Fetch-Site", "same-origin");
            if (headers.length > 0) {
                request.headers(headers);
            }
            return send(request);
        }

        String cookie(String name) {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                    .map(HttpCookie::getValue).findFirst().orElse(null);
        }

        private URI uri(String path) {
            return URI.create("http://localhost:" + port + path);
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}

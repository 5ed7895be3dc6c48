package io.glisk.ops;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.glisk.web.BufferedBodyRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Jolokia for the read-only role. The admin may send anything; the viewer only requests of the types
 * {@code read}, {@code list}, {@code search} and {@code version}: a {@code write}, {@code exec} (or
 * {@code notification}, {@code config}, an unknown type, a JSR-160 {@code target}, or a body this check cannot
 * read) is refused with 403 before Jolokia sees it — but for Hawtio's own permission query, see
 * {@link #permissionQuery} — in the GET form ({@code /actuator/jolokia/exec/…}, also
 * through the {@code p} query parameter) and in the POST form, where one such request inside a bulk request
 * refuses the whole bulk.
 * <p>
 * The request type is read the way Jolokia reads it (first path element, lower-cased; the {@code type} of each
 * JSON request), but strictly: anything ambiguous (duplicate keys, trailing content, an unreadable charset,
 * escapes in the type) counts as "not read-only".
 * <p>
 * Why here and not in a Jolokia restrictor (which {@link JolokiaDenyList} is, for everyone alike): a restrictor
 * is not told who calls; it is never asked about {@code notification} requests; its refusal is a 200 answer
 * while the rest of a bulk request runs; and (were the JSR-160 proxy on) it is asked only after the request's
 * {@code target} was connected to.
 */
final class ReadOnlyJolokia implements AuthorizationManager<RequestAuthorizationContext> {

    /** Where Jolokia answers: its actuator endpoint, and Hawtio's forward to it. */
    static final List<String> PATHS = List.of("/actuator/jolokia", "/actuator/hawtio/jolokia");
    static final Set<String> READ_TYPES = Set.of("read", "list", "search", "version");
    static final int MAX_BODY_BYTES = 1 << 20;
    static final String HAWTIO_PERMISSIONS = "hawtio:type=security,area=jmx,name=HawtioDummyJMXSecurity";
    private static final Pattern CAN_INVOKE = Pattern.compile("canInvoke(\\([\\w.,\\[\\]\\s]*\\))?");

    private static final String BODY = ReadOnlyJolokia.class.getName() + ".body";
    private static final byte[] TOO_LARGE = new byte[0];
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String adminAuthority;
    private final String viewerAuthority;

    ReadOnlyJolokia(String adminRole, String viewerRole) {
        this.adminAuthority = "ROLE_" + adminRole;
        this.viewerAuthority = "ROLE_" + viewerRole;
    }

    @Override
    public AuthorizationDecision check(Supplier<Authentication> authentication, RequestAuthorizationContext context) {
        Authentication user = authentication.get();
        if (user == null || !user.isAuthenticated()) {
            return new AuthorizationDecision(false);
        }
        if (has(user, adminAuthority)) {
            return new AuthorizationDecision(true);
        }
        return new AuthorizationDecision(has(user, viewerAuthority) && readOnly(context.getRequest()));
    }

    private static boolean has(Authentication user, String authority) {
        for (GrantedAuthority granted : user.getAuthorities()) {
            if (authority.equals(granted.getAuthority())) {
                return true;
            }
        }
        return false;
    }

    /** True only when every Jolokia request in this HTTP request is of a read-only type. */
    static boolean readOnly(HttpServletRequest request) {
        return switch (request.getMethod()) {
            case "GET", "HEAD" -> readOnlyGet(request);
            case "POST" -> readOnlyPost(request);
            default -> false;
        };
    }

    private static boolean readOnlyGet(HttpServletRequest request) {
        String path = jolokiaPath(request);
        if (path == null) {
            return false;
        }
        String parameter = request.getParameter("p");
        // Jolokia takes the path from "p" when the URL has none; either way both must be read-only
        boolean pathEmpty = path.matches("/*");
        if (pathEmpty && parameter == null) {
            return true; // GET /actuator/jolokia: the version
        }
        return (pathEmpty || readOnlyType(path)) && (parameter == null || readOnlyType(parameter));
    }

    /** The part of the URL after the Jolokia endpoint, percent-decoded once (as Jolokia does). */
    private static String jolokiaPath(HttpServletRequest request) {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        String decoded;
        try {
            decoded = URLDecoder.decode(uri, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (String prefix : PATHS) {
            if (decoded.equals(prefix) || decoded.startsWith(prefix + "/")) {
                return decoded.substring(prefix.length());
            }
        }
        return null;
    }

    private static boolean readOnlyType(String path) {
        String rest = path.replaceFirst("^/+", "");
        int slash = rest.indexOf('/');
        String type = slash < 0 ? rest : rest.substring(0, slash);
        return READ_TYPES.contains(type.toLowerCase(Locale.ROOT));
    }

    private static boolean readOnlyPost(HttpServletRequest request) {
        Object body = request.getAttribute(BODY);
        if (!(body instanceof byte[] bytes) || bytes == TOO_LARGE) {
            return false;
        }
        Charset charset;
        try {
            String encoding = request.getCharacterEncoding();
            charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        } catch (RuntimeException e) {
            return false;
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(bytes, charset));
        } catch (IOException e) {
            return false;
        }
        List<JsonNode> requests = new ArrayList<>();
        if (root != null && root.isObject()) {
            requests.add(root);
        } else if (root != null && root.isArray() && !root.isEmpty()) {
            root.forEach(requests::add);
        } else {
            return false;
        }
        for (JsonNode jolokiaRequest : requests) {
            JsonNode type = jolokiaRequest.get("type");
            if (!jolokiaRequest.isObject() || type == null || !type.isTextual()
                    // a JSR-160 proxy request reaches another JVM
                    || jolokiaRequest.has("target")) {
                return false;
            }
            String name = type.asText().toLowerCase(Locale.ROOT);
            if (!READ_TYPES.contains(name) && !("exec".equals(name) && permissionQuery(jolokiaRequest))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Hawtio's console asks which operations the user may invoke before it draws a page ({@code canInvoke} of
     * its JMX security MBean, a query that changes nothing); without an answer the viewer's console stays
     * blank. This one operation of this one MBean, named exactly so, is the only exec a viewer may send.
     */
    private static boolean permissionQuery(JsonNode jolokiaRequest) {
        JsonNode mbean = jolokiaRequest.get("mbean");
        JsonNode operation = jolokiaRequest.get("operation");
        return mbean != null && mbean.isTextual() && HAWTIO_PERMISSIONS.equals(mbean.asText())
                && operation != null && operation.isTextual() && CAN_INVOKE.matcher(operation.asText()).matches();
    }

    /**
     * Keeps the body of a viewer's Jolokia POST (at most {@link #MAX_BODY_BYTES}) so that the check above can
     * read it and Jolokia can still read it after. The admin's requests pass untouched.
     */
    static final class BodyBuffer extends OncePerRequestFilter {

        private final String adminAuthority;

        BodyBuffer(String adminRole) {
            this.adminAuthority = "ROLE_" + adminRole;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !"POST".equals(request.getMethod()) || jolokiaPath(request) == null;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            Authentication user = SecurityContextHolder.getContext().getAuthentication();
            if (user == null || !user.isAuthenticated() || has(user, adminAuthority)) {
                chain.doFilter(request, response);
                return;
            }
            byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
            request.setAttribute(BODY, body.length > MAX_BODY_BYTES ? TOO_LARGE : body);
            chain.doFilter(new BufferedBodyRequest(request, body), response);
        }
    }
}

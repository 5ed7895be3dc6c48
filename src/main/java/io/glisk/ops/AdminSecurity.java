package io.glisk.ops;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.springframework.boot.web.servlet.server.CookieSameSiteSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may do what over HTTP.
 * <pre>
 * public           /actuator/health/**, /webhooks/** (HMAC-signed), /api/authors/** (wallet-signed),
 *                  /sim/**, /api/local/** (local mode only; the simulators check provider credentials),
 *                  /ui/assets/** (the web console's style sheet and script, which the login page needs too)
 * ADMIN            everything else: Hawtio, Jolokia, actuator, admin API, the web console /ui/, anything unknown
 * VIEWER           GET/HEAD of all that; Jolokia read/list/search/version only (see {@link ReadOnlyJolokia})
 * nobody           the JMX operations that run code, write files or tune the JVM (see {@link JolokiaDenyList})
 * </pre>
 * Programs authenticate with HTTP Basic (a 401 with {@code WWW-Authenticate: Basic} tells them to). Browsers
 * never get a Basic challenge — so they never keep Basic credentials that a forged cross-site request could
 * ride on — but a login form (a page opened is a 302 to {@code /login}; a script's request a plain 401) and
 * a session, which is what the Hawtio console and the web console run on.
 * <p>
 * CSRF: a request authenticated by the session must carry the token, which Hawtio's front end sends by itself
 * (it copies the {@code XSRF-TOKEN} cookie into an {@code X-XSRF-TOKEN} header) and the web console's forms
 * carry in a hidden field. Requests with their own
 * {@code Authorization} header (curl, Prometheus, scripts) need none — unless a browser says it sends them
 * from another site — and neither do the public endpoints, which are authenticated by signatures or not at all.
 */
@Configuration
@EnableWebSecurity
public class AdminSecurity {

    /** The role that may change things; the web console shows its buttons to it only. */
    public static final String ADMIN = "ADMIN";
    static final String VIEWER = "VIEWER";
    static final String LOGIN = "/login";
    /** Where the login form leads when no page was asked for first: the web console's landing page. */
    static final String LANDING = "/ui/";

    private static final RequestMatcher PUBLIC = any(
            "/actuator/health", "/actuator/health/**",
            "/webhooks/**",
            "/api/authors/**",
            "/sim/**",
            "/api/local/**",
            "/ui/assets/**");
    private static final RequestMatcher JOLOKIA = any(ReadOnlyJolokia.PATHS.stream()
            .flatMap(path -> Stream.of(path, path + "/**")).toArray(String[]::new));
    private static final RequestMatcher LOGIN_LOGOUT = any(LOGIN, "/logout");
    private static final RequestMatcher READS = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/**"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.HEAD, "/**"));
    private static final RequestMatcher CONSOLE_PAGES = any("/actuator/hawtio", "/actuator/hawtio/**");

    @Bean
    AdminCredentials adminCredentials(Environment environment) {
        return AdminCredentials.from(environment);
    }

    @Bean
    UserDetailsService adminUsers(AdminCredentials credentials, PasswordEncoder passwords) {
        List<UserDetails> users = new ArrayList<>();
        users.add(User.withUsername(credentials.admin().user())
                .password(passwords.encode(credentials.admin().password().value())).roles(ADMIN).build());
        credentials.viewer().ifPresent(viewer -> users.add(User.withUsername(viewer.user())
                .password(passwords.encode(viewer.password().value())).roles(VIEWER).build()));
        return new InMemoryUserDetailsManager(users);
    }

    @Bean
    PasswordEncoder adminPasswordEncoder() {
        return new DigestPasswordEncoder();
    }

    @Bean
    SecurityFilterChain adminSecurityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        // the error page of a request that was let through (a public endpoint's 404, say)
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers(PUBLIC).permitAll()
                        .requestMatchers(JOLOKIA).access(new ReadOnlyJolokia(ADMIN, VIEWER))
                        .requestMatchers(READS).hasAnyRole(ADMIN, VIEWER)
                        .anyRequest().hasRole(ADMIN))
                // only a page opened in a browser is remembered for after the login: a program's request refused
                // with 401 leaves no session behind
                .requestCache(cache -> cache.requestCache(consolePagesOnly()))
                .httpBasic(basic -> basic.realmName("glisk"))
                .formLogin(form -> form.loginPage(LOGIN).defaultSuccessUrl(LANDING, false).permitAll())
                .logout(logout -> logout.permitAll())
                .exceptionHandling(errors -> errors
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(LOGIN),
                                AdminSecurity::browserNavigation)
                        .defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
                                AdminSecurity::fromBrowser)
                        .defaultAuthenticationEntryPointFor(basicChallenge(), request -> true))
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new SinglePageAppCsrfHandler())
                        .requireCsrfProtectionMatcher(AdminSecurity::sessionChange)
                        .ignoringRequestMatchers(PUBLIC, AdminSecurity::tokenlessClient))
                .addFilterAfter(new CsrfCookie(), BasicAuthenticationFilter.class)
                .addFilterBefore(new ReadOnlyJolokia.BodyBuffer(ADMIN), AuthorizationFilter.class);
        return http.build();
    }

    /** The session and CSRF cookies never travel with a request another site starts. */
    @Bean
    CookieSameSiteSupplier adminCookiesSameSite() {
        return CookieSameSiteSupplier.ofStrict().when(cookie -> Set.of("JSESSIONID", "XSRF-TOKEN").contains(cookie.getName()));
    }

    private static RequestCache consolePagesOnly() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setRequestMatcher(AdminSecurity::browserNavigation);
        return cache;
    }

    private static BasicAuthenticationEntryPoint basicChallenge() {
        BasicAuthenticationEntryPoint entryPoint = new BasicAuthenticationEntryPoint();
        entryPoint.setRealmName("glisk");
        return entryPoint;
    }

    private static RequestMatcher any(String... patterns) {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        List<RequestMatcher> matchers = new ArrayList<>();
        for (String pattern : patterns) {
            matchers.add(paths.matcher(pattern));
        }
        return new OrRequestMatcher(matchers);
    }

    /** Browsers send Sec-Fetch-* headers on every request (curl, Prometheus and HTTP libraries do not). */
    static boolean fromBrowser(HttpServletRequest request) {
        return request.getHeader("Sec-Fetch-Mode") != null || request.getHeader("Sec-Fetch-Site") != null;
    }

    /**
     * A page opened in a browser (the console, or say the pipeline summary): it goes to the login form, and
     * back to the page after it.
     */
    static boolean browserNavigation(HttpServletRequest request) {
        String mode = request.getHeader("Sec-Fetch-Mode");
        String accept = request.getHeader("Accept");
        boolean navigation = mode != null ? "navigate".equals(mode) : accept != null && accept.contains("text/html");
        return navigation && HttpMethod.GET.matches(request.getMethod());
    }

    /**
     * What a forged request could abuse: a change sent with a session cookie, a login or logout, or any change
     * a browser says comes from another site. Other requests without a session cookie cannot be authenticated
     * by one: they get their 401 (or, with their own credentials, their answer) rather than a 403 for a token
     * they could not have.
     */
    static boolean sessionChange(HttpServletRequest request) {
        return CsrfFilter.DEFAULT_CSRF_MATCHER.matches(request)
                && (request.getRequestedSessionId() != null || LOGIN_LOGOUT.matches(request) || fromAnotherSite(request));
    }

    /**
     * A program that sends its own credentials with each request: no session, so no CSRF token. A browser's
     * request from another site never counts as one, even if the browser added remembered credentials.
     */
    static boolean tokenlessClient(HttpServletRequest request) {
        return request.getHeader("Authorization") != null && !fromAnotherSite(request);
    }

    private static boolean fromAnotherSite(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        return "cross-site".equals(site) || "same-site".equals(site);
    }

    /**
     * Passwords come from the environment in clear, so there is nothing to gain from a slow hash: they are
     * kept as SHA-256 digests and compared in constant time ({@link MessageDigest#isEqual}), which keeps each
     * Basic-authenticated request (Prometheus scrapes, Jolokia clients) cheap.
     */
    static final class DigestPasswordEncoder implements PasswordEncoder {

        @Override
        public String encode(CharSequence rawPassword) {
            return HexFormat.of().formatHex(digest(rawPassword));
        }

        @Override
        public boolean matches(CharSequence rawPassword, String encodedPassword) {
            if (rawPassword == null || encodedPassword == null) {
                return false;
            }
            byte[] expected;
            try {
                expected = HexFormat.of().parseHex(encodedPassword);
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(digest(rawPassword), expected);
        }

        private static byte[] digest(CharSequence password) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(password.toString().getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Accepts the token as Hawtio sends it (the cookie's raw value in the X-XSRF-TOKEN header) and as a form
     * sends it (the masked value of the login form's hidden field); renders it masked (BREACH).
     */
    static final class SinglePageAppCsrfHandler implements CsrfTokenRequestHandler {

        private final CsrfTokenRequestHandler plain = new CsrfTokenRequestAttributeHandler();
        private final CsrfTokenRequestHandler masked = new XorCsrfTokenRequestAttributeHandler();

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
            masked.handle(request, response, token);
        }

        @Override
        public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
            return StringUtils.hasText(request.getHeader(token.getHeaderName()))
                    ? plain.resolveCsrfTokenValue(request, token)
                    : masked.resolveCsrfTokenValue(request, token);
        }
    }

    /** Sets the XSRF-TOKEN cookie on the console's responses, where Hawtio's front end reads it. */
    static final class CsrfCookie extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (CONSOLE_PAGES.matches(request) && SecurityContextHolder.getContext().getAuthentication() != null) {
                CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
                if (token != null) {
                    token.getToken();
                }
            }
            chain.doFilter(request, response);
        }
    }
}

package io.glisk.local;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.http.ResponseEntity;

/**
 * Serves a simulator's wire API straight from the servlet container, ahead of every other filter. The providers the
 * simulators stand in for run on other machines: through the admin security chain, request observations and Spring
 * MVC's dispatch, answering the generation stage's two Replicate requests per token cost this machine several times
 * what the simulator's own work did, and the benchmarks measured that instead of the pipeline. A request no route
 * matches goes on down the chain (to a 404).
 */
public final class SimulatorWire implements Filter {

    /** One operation of the wire API: the path (after the simulator's prefix) as groups, the request itself. */
    @FunctionalInterface
    public interface Handler {
        ResponseEntity<?> answer(Matcher path, HttpServletRequest request) throws IOException, ServletException, InterruptedException;
    }

    private record Route(String method, Pattern path, Handler handler) {
    }

    private final String prefix;
    private final List<Route> routes = new ArrayList<>();

    private SimulatorWire(String prefix) {
        this.prefix = prefix;
    }

    public static SimulatorWire under(String prefix) {
        return new SimulatorWire(prefix);
    }

    public SimulatorWire route(String method, String pathRegex, Handler handler) {
        routes.add(new Route(method, Pattern.compile(pathRegex), handler));
        return this;
    }

    /** The filter, first in the container's chain, for every path under the prefix. */
    public FilterRegistrationBean<Filter> registration() {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(this);
        registration.addUrlPatterns(prefix + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String path = request.getRequestURI().substring(request.getContextPath().length() + prefix.length());
        for (Route route : routes) {
            Matcher m;
            if (route.method().equals(request.getMethod()) && (m = route.path().matcher(path)).matches()) {
                write(answer(route, m, request), (HttpServletResponse) res);
                return;
            }
        }
        chain.doFilter(req, res);
    }

    private static ResponseEntity<?> answer(Route route, Matcher path, HttpServletRequest request)
            throws IOException, ServletException {
        try {
            return route.handler().answer(path, request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServletException("interrupted while answering " + request.getRequestURI(), e);
        }
    }

    private static void write(ResponseEntity<?> answer, HttpServletResponse response) throws IOException {
        response.setStatus(answer.getStatusCode().value());
        answer.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        Object body = answer.getBody();
        byte[] bytes = body instanceof byte[] raw ? raw
                : body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}

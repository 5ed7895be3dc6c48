package io.glisk.local.replicate;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.http.ResponseEntity;

/**
 * Serves the Replicate simulator's wire API straight from the servlet container, ahead of every other filter.
 * Replicate runs on someone else's machines: through the admin security chain, request observations and Spring
 * MVC's dispatch, answering its two requests per token cost this machine several times what the simulator's own
 * work does, and the generation benchmark measured that instead of the pipeline. A request it does not recognise
 * goes on down the chain (to a 404).
 */
@Configuration(proxyBeanMethods = false)
@Profile("local")
class ReplicateSimulatorWire {

    @Bean
    FilterRegistrationBean<Filter> replicateSimulatorFilter(ReplicateSimulator simulator) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new Wire(simulator));
        registration.addUrlPatterns(ReplicateSimulator.PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private static final class Wire implements Filter {

        private static final Pattern CREATE = Pattern.compile("/v1/models/([^/]+)/([^/]+)/predictions");
        private static final Pattern PREDICTION = Pattern.compile("/v1/predictions/([^/]+)");
        private static final Pattern CANCEL = Pattern.compile("/v1/predictions/([^/]+)/cancel");
        private static final Pattern OUTPUT = Pattern.compile("/delivery/([^/]+)/([^/]+)");

        private final ReplicateSimulator simulator;

        Wire(ReplicateSimulator simulator) {
            this.simulator = simulator;
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            ResponseEntity<?> answer = answer(request);
            if (answer == null) {
                chain.doFilter(req, res);
                return;
            }
            HttpServletResponse response = (HttpServletResponse) res;
            response.setStatus(answer.getStatusCode().value());
            answer.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            Object body = answer.getBody();
            byte[] bytes = body instanceof byte[] raw ? raw : body == null ? new byte[0]
                    : body.toString().getBytes(StandardCharsets.UTF_8);
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }

        private ResponseEntity<?> answer(HttpServletRequest request) throws IOException, ServletException {
            String path = request.getRequestURI().substring(request.getContextPath().length() + ReplicateSimulator.PATH.length());
            String authorization = request.getHeader("Authorization");
            Matcher m;
            switch (request.getMethod()) {
                case "POST" -> {
                    if ((m = CREATE.matcher(path)).matches()) {
                        byte[] body = request.getInputStream().readAllBytes();
                        try {
                            return simulator.create(m.group(1), m.group(2), authorization, request.getHeader("Prefer"),
                                    body.length == 0 ? null : body, request);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new ServletException("interrupted while answering a create", e);
                        }
                    }
                    if ((m = CANCEL.matcher(path)).matches()) {
                        return simulator.cancel(m.group(1), authorization, request);
                    }
                }
                case "GET" -> {
                    if ((m = PREDICTION.matcher(path)).matches()) {
                        return simulator.get(m.group(1), authorization, request);
                    }
                    if ((m = OUTPUT.matcher(path)).matches()) {
                        return simulator.output(m.group(1), m.group(2));
                    }
                }
                default -> {
                }
            }
            return null;
        }
    }
}

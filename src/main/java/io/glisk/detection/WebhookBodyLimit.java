package io.glisk.detection;

import io.glisk.settings.ConditionalOnStage;
import io.glisk.web.BufferedBodyRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses webhook deliveries over the size limit before anything reads them: by their Content-Length when
 * they say it, else by reading at most one byte past the limit. What passes is handed on as the exact bytes
 * received (the signature is over them), declared as JSON whatever the sender said: a form content type would
 * otherwise make the HTTP binding parse the body as form fields.
 */
@ConditionalOnStage("detection")
@Component
class WebhookBodyLimit extends OncePerRequestFilter {

    private final DetectionSettings settings;

    WebhookBodyLimit(DetectionSettings settings) {
        this.settings = settings;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/webhooks/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int limit = settings.webhookMaxBytes();
        if (request.getContentLengthLong() > limit) {
            refuse(response, limit);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(limit + 1);
        if (body.length > limit) {
            refuse(response, limit);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body) {
            @Override
            public String getContentType() {
                return "application/json";
            }

            @Override
            public String getHeader(String name) {
                return "Content-Type".equalsIgnoreCase(name) ? getContentType() : super.getHeader(name);
            }
        }, response);
    }

    private static void refuse(HttpServletResponse response, int limit) throws IOException {
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        response.setContentType("application/json");
        response.setHeader("Connection", "close");
        response.getWriter().write("{\"error\":\"delivery larger than " + limit + " bytes\"}");
    }
}

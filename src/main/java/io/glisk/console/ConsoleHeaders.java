package io.glisk.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The console's pages run only what the jar serves: no inline script or style, no other origin — so that text
 * from a provider or an operator that slipped through escaping still could not run, and nothing is loaded from
 * a CDN. Links to the gateway, Hawtio and Grafana are plain navigations, which this does not restrict.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleHeaders implements WebMvcConfigurer {

    static final String POLICY = "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                response.setHeader("Content-Security-Policy", POLICY);
                response.setHeader("Referrer-Policy", "same-origin");
                return true;
            }
        }).addPathPatterns("/ui/**", "/login", "/logout");
    }
}

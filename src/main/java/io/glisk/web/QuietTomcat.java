package io.glisk.web;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * The embedded Tomcat, for a service that is often quiet: HTTP through {@link QuietHttp11NioProtocol}, and a
 * poller that wakes every 5 s rather than every second when no connection has anything to say. The poller's only
 * other work at those wake-ups is closing idle keep-alive connections, which may now outlive their timeout by up
 * to 5 s.
 */
@Component
class QuietTomcat implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.setProtocol(QuietHttp11NioProtocol.class.getName());
        factory.addConnectorCustomizers(connector -> connector.setProperty("selectorTimeout", "5000"));
    }
}

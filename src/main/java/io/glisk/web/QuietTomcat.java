package io.glisk.web;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/** The embedded Tomcat speaks HTTP through {@link QuietHttp11NioProtocol}. */
@Component
class QuietTomcat implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.setProtocol(QuietHttp11NioProtocol.class.getName());
    }
}

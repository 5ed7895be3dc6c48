package io.glisk.web;

import org.apache.coyote.Processor;
import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's HTTP/1.1 NIO protocol, except that its check of async requests' timeouts, which Tomcat runs every second
 * from start-up, starts with the first request that goes async. No endpoint of this service does (no SSE, no
 * deferred results), so a quiet service is spared a task a second, and the wake-ups of both of Tomcat's utility
 * threads it costs. An endpoint that one day goes async still gets its timeouts.
 */
public class QuietHttp11NioProtocol extends Http11NioProtocol {

    private volatile boolean asyncSeen;

    @Override
    protected synchronized void startAsyncTimeout() {
        // Tomcat calls this at start and from its once-a-minute monitor: a no-op until a request has gone async
        if (asyncSeen) {
            super.startAsyncTimeout();
        }
    }

    @Override
    public void addWaitingProcessor(Processor processor) {
        super.addWaitingProcessor(processor);
        if (!asyncSeen) {
            asyncSeen = true;
            startAsyncTimeout();
        }
    }
}

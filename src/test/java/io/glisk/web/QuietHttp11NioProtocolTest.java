package io.glisk.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.coyote.Processor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuietHttp11NioProtocolTest {

    private final ScheduledThreadPoolExecutor utility = new ScheduledThreadPoolExecutor(1);
    private final QuietHttp11NioProtocol protocol = new QuietHttp11NioProtocol();

    @AfterEach
    void stop() {
        utility.shutdownNow();
    }

    @Test
    void checksAsyncTimeoutsOnlyOnceARequestHasGoneAsync() {
        protocol.setUtilityExecutor(utility);

        // as at start-up and from Tomcat's monitor: nothing scheduled while no request is async
        protocol.startAsyncTimeout();
        assertThat(utility.getQueue()).isEmpty();

        // the first async request starts the once-a-second check, and only one
        protocol.addWaitingProcessor(mock(Processor.class));
        protocol.addWaitingProcessor(mock(Processor.class));
        protocol.startAsyncTimeout();
        assertThat(utility.getQueue()).hasSize(1);
    }
}

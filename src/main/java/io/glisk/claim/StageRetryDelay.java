package io.glisk.claim;

import io.glisk.provider.ProviderUnavailable;
import io.glisk.provider.TransientFailure;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Runs when a stage's attempt fails, before the error handler picks the delay of the next one
 * ({@code onExceptionOccurredRef} of the shared route configuration): a provider that said when to come back
 * (Retry-After, or its own "available in N seconds") sets that delay instead of the exponential one — but never
 * longer than the stage's maximum backoff, so a hostile or mistaken answer cannot park a token for hours. A call
 * refused because its provider is down or throttling waits until the provider may take calls again.
 */
@Component("stageRetryDelay")
public class StageRetryDelay implements Processor {

    private final long maxDelayMillis;

    StageRetryDelay(@Value("${glisk.retry.max-delay-millis}") long maxDelayMillis) {
        this.maxDelayMillis = maxDelayMillis;
    }

    @Override
    public void process(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (caught instanceof TransientFailure failure && failure.retryAfter() != null) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY,
                    Math.min(failure.retryAfter().toMillis(), maxDelayMillis));
        } else if (caught instanceof ProviderUnavailable unavailable) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY,
                    Math.min(unavailable.getWaitSeconds() * 1000, maxDelayMillis));
        } else {
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        }
    }
}

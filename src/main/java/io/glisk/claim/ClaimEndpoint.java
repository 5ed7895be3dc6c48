package io.glisk.claim;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

@UriEndpoint(scheme = "claim", title = "Token claim", syntax = "claim:stage", consumerOnly = true,
        category = {org.apache.camel.Category.DATABASE})
public class ClaimEndpoint extends DefaultEndpoint {

    private final TokenLeases leases;
    private final QueueWakeups wakeups;

    @UriPath(description = "Stage name, used in thread names and log events")
    private final String stage;
    @UriParam(description = "Classpath resource of the claim statement (named parameters :owner, :limit, :leaseSeconds)")
    private String sql;
    @UriParam(description = "Token status whose arrival wakes this consumer")
    private String queue;
    @UriParam(description = "Tokens in flight at most", defaultValue = "10")
    private int concurrency = 10;
    @UriParam(description = "Seconds a token waits before it is claimed again after an unexpected failure",
            defaultValue = "30")
    private int releaseDelaySeconds = 30;

    ClaimEndpoint(String uri, ClaimComponent component, String stage, TokenLeases leases, QueueWakeups wakeups) {
        super(uri, component);
        this.stage = stage;
        this.leases = leases;
        this.wakeups = wakeups;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("claim: endpoints only consume");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (sql == null || queue == null) {
            throw new IllegalArgumentException("claim:" + stage + " needs both 'sql' and 'queue'");
        }
        ClaimConsumer consumer = new ClaimConsumer(this, processor, leases, wakeups);
        configureConsumer(consumer);
        return consumer;
    }

    public String getStage() {
        return stage;
    }

    public String getSql() {
        return sql;
    }

    public void setSql(String sql) {
        this.sql = sql;
    }

    public String getQueue() {
        return queue;
    }

    public void setQueue(String queue) {
        this.queue = queue;
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public int getReleaseDelaySeconds() {
        return releaseDelaySeconds;
    }

    public void setReleaseDelaySeconds(int releaseDelaySeconds) {
        this.releaseDelaySeconds = releaseDelaySeconds;
    }
}

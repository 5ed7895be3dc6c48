package io.glisk.claim;

import io.glisk.provider.ProviderCircuits;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

@UriEndpoint(scheme = "claim", title = "Claim", syntax = "claim:stage", consumerOnly = true,
        category = {org.apache.camel.Category.DATABASE})
public class ClaimEndpoint extends DefaultEndpoint {

    private final Claims claims;
    private final HeldLeases leases;
    private final QueueWakeups wakeups;
    private final ProviderCircuits circuits;

    @UriPath(description = "Stage name, used in thread names, log events and the release statement")
    private final String stage;
    @UriParam(description = "Classpath resource of the claim statement (named parameters :owner, :limit, "
            + ":leaseSeconds); each row it returns carries its own lease_id")
    private String sql;
    @UriParam(description = "Wake-up name (NOTIFY payload) that means this stage's queue may have work")
    private String queue;
    @UriParam(description = "Tokens in flight at most", defaultValue = "10")
    private int concurrency = 10;
    @UriParam(description = "Seconds a token waits before it is claimed again after an unexpected failure",
            defaultValue = "30")
    private int releaseDelaySeconds = 30;
    @UriParam(description = "Statement renewing held leases (:leaseIds, :leaseSeconds; returns the lease_id renewed)",
            defaultValue = "sql/claim/renew.sql")
    private String renewSql = "sql/claim/renew.sql";
    @UriParam(description = "Statement letting go of leased rows (:leaseIds, :stage, :error, :delaySeconds)",
            defaultValue = "sql/claim/release.sql")
    private String releaseSql = "sql/claim/release.sql";
    @UriParam(description = "Fallback poll statement (:statuses): expires dead leases, names queues with work",
            defaultValue = "sql/claim/probe.sql")
    private String probeSql = "sql/claim/probe.sql";
    @UriParam(description = "Seconds between runs of the probe statement at the least, when it should run less often "
            + "than the fallback poll does (a queue whose pick-up NOTIFY covers, with long-running work)", defaultValue = "0")
    private int probeIntervalSeconds;
    @UriParam(description = "Providers the stage calls (comma-separated circuit names): no claims while any of "
            + "them is unavailable (circuit open, or throttled) — the work would only wait for it")
    private String providers;
    @UriParam(description = "The route keeps claimed rows after their exchange ends (an aggregator gathers them) "
            + "and ends their leases itself with claimLeases.end(rows)", defaultValue = "false")
    private boolean holdLeases;
    @UriParam(description = "Milliseconds from one claim to the next at the least while the queue is caught up (the "
            + "last claim was not full): rows arriving one by one are then claimed together. For a stage whose rows "
            + "wait to be gathered anyway (the reveal's batches); a backlog is claimed at once", defaultValue = "0")
    private int claimIntervalMillis;
    @UriParam(description = "Microseconds a claim behind a backlog of fast work waits, at the most, for half the "
            + "slots to be free before it takes what is free: short beside any provider call (a slot idles at most "
            + "this long), long enough for instant work to free several, which one statement then claims together",
            defaultValue = "5000")
    private long gatherMicros = 5_000;

    ClaimEndpoint(String uri, ClaimComponent component, String stage, Claims claims, HeldLeases leases,
                  QueueWakeups wakeups, ProviderCircuits circuits) {
        super(uri, component);
        this.stage = stage;
        this.claims = claims;
        this.leases = leases;
        this.wakeups = wakeups;
        this.circuits = circuits;
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
        ClaimConsumer consumer = new ClaimConsumer(this, processor, claims, leases, wakeups, circuits);
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

    public String getRenewSql() {
        return renewSql;
    }

    public void setRenewSql(String renewSql) {
        this.renewSql = renewSql;
    }

    public String getReleaseSql() {
        return releaseSql;
    }

    public void setReleaseSql(String releaseSql) {
        this.releaseSql = releaseSql;
    }

    public String getProbeSql() {
        return probeSql;
    }

    public void setProbeSql(String probeSql) {
        this.probeSql = probeSql;
    }

    public int getProbeIntervalSeconds() {
        return probeIntervalSeconds;
    }

    public void setProbeIntervalSeconds(int probeIntervalSeconds) {
        this.probeIntervalSeconds = probeIntervalSeconds;
    }

    public String getProviders() {
        return providers;
    }

    public void setProviders(String providers) {
        this.providers = providers;
    }

    /** The providers as a list (none when not set). */
    java.util.List<String> providerList() {
        return providers == null || providers.isBlank() ? java.util.List.of()
                : java.util.Arrays.stream(providers.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList();
    }

    public boolean isHoldLeases() {
        return holdLeases;
    }

    public void setHoldLeases(boolean holdLeases) {
        this.holdLeases = holdLeases;
    }

    public int getClaimIntervalMillis() {
        return claimIntervalMillis;
    }

    public void setClaimIntervalMillis(int claimIntervalMillis) {
        this.claimIntervalMillis = claimIntervalMillis;
    }

    public long getGatherMicros() {
        return gatherMicros;
    }

    public void setGatherMicros(long gatherMicros) {
        this.gatherMicros = gatherMicros;
    }
}

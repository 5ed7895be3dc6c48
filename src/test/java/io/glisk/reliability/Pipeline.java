package io.glisk.reliability;

import io.glisk.local.chain.LocalAccounts;
import io.glisk.support.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The pipeline's processes of one scenario: N instances of the jar in live mode on one database, each pointed at
 * the providers process and the scenario's chain as it would be at real providers and a real node. Timings are
 * shortened where a default would only make the run longer (leases, backoffs, circuit probes); everything else is
 * as shipped.
 */
final class Pipeline {

    static final String ADMIN_USER = "reliability";
    /** Tokens in flight per stage and instance (WORKER_BATCH_SIZE). */
    static final int BATCH_SIZE = 10;
    /** Seconds a dead instance's tokens stay leased (GLISK_LEASE_SECONDS). */
    static final int LEASE_SECONDS = 10;
    /**
     * Seconds a provider's answer may take (REPLICATE_TIMEOUT_SECONDS, PINATA_TIMEOUT_SECONDS, …): well above what
     * the simulators need on a busy machine, where 3 s timed out calls answered late after an outage's burst and
     * counted attempts no fault had caused. The slow faults hold their answers past it.
     */
    static final int PROVIDER_TIMEOUT_SECONDS = 10;

    private final String adminPassword = UUID.randomUUID().toString();
    private final List<Service> instances = new ArrayList<>();

    /** Personas an instance works on at once (AVATAR_PERSONA_CONCURRENCY), when the avatar stage is on. */
    static final int PERSONA_CONCURRENCY = 4;
    static final String S3_BUCKET = "reliability-avatars";

    /** @param avatar whether the avatar stage runs too, on the providers' Flowise, OpenAI and S3 */
    Pipeline(Lab lab, Path dir, String scenario, String database, Chain chain, Providers providers, int count,
             boolean avatar) {
        for (int i = 1; i <= count; i++) {
            String name = scenario + "-" + i;
            int port = FreePorts.next();
            Map<String, String> environment = new HashMap<>();
            environment.put("GLISK_MODE", "live");
            environment.put("PORT", Integer.toString(port));
            environment.put("GLISK_INSTANCE_ID", name);
            environment.put("SPRING_DATASOURCE_URL", lab.postgres().jdbcUrl(database));
            environment.put("SPRING_DATASOURCE_USERNAME", "postgres");
            environment.put("GLISK_ADMIN_USER", ADMIN_USER);
            environment.put("GLISK_ADMIN_PASSWORD", adminPassword);
            environment.put("REPLICATE_API_TOKEN", Providers.REPLICATE_TOKEN);
            environment.put("REPLICATE_BASE_URL", providers.replicateUrl());
            environment.put("REPLICATE_TIMEOUT_SECONDS", Integer.toString(PROVIDER_TIMEOUT_SECONDS));
            environment.put("REPLICATE_POLL_INTERVAL_MILLIS", "200");
            environment.put("PINATA_JWT", Providers.PINATA_JWT);
            environment.put("PINATA_API_URL", providers.pinataUrl());
            environment.put("PINATA_GATEWAY", providers.gatewayUrl());
            environment.put("PINATA_TIMEOUT_SECONDS", Integer.toString(PROVIDER_TIMEOUT_SECONDS));
            environment.put("IMAGE_DOWNLOAD_ALLOWED_HOSTS", "127.0.0.1");
            environment.put("RPC_URL", chain.rpcUrl());
            environment.put("CHAIN_ID", Long.toString(Chain.CHAIN_ID));
            environment.put("GLISK_NFT_CONTRACT_ADDRESS", chain.contract());
            environment.put("KEEPER_PRIVATE_KEY", LocalAccounts.KEEPER.getEcKeyPair().getPrivateKey().toString(16));
            environment.put("ALCHEMY_WEBHOOK_ENABLED", "false");
            // anvil never reorgs and its base fee starts near 1 gwei
            environment.put("DETECTION_CONFIRMATIONS", "0");
            environment.put("DETECTION_POLL_INTERVAL_MILLIS", "500");
            environment.put("REVEAL_MAX_GAS_PRICE_GWEI", "100");
            environment.put("REVEAL_RECEIPT_POLL_MILLIS", "250");
            environment.put("REVEAL_RETRY_DELAY_SECONDS", "2");
            environment.put("WORKER_BATCH_SIZE", Integer.toString(BATCH_SIZE));
            environment.put("GLISK_LEASE_SECONDS", Integer.toString(LEASE_SECONDS));
            environment.put("GLISK_RETRY_INITIAL_DELAY_MILLIS", "200");
            environment.put("GLISK_RETRY_MAX_DELAY_MILLIS", "5000");
            environment.put("GLISK_CIRCUIT_OPEN_SECONDS", "5");
            environment.put("GLISK_STAGES_AVATAR_ENABLED", Boolean.toString(avatar));
            if (avatar) {
                environment.put("OPENAI_API_KEY", Providers.OPENAI_KEY);
                environment.put("OPENAI_BASE_URL", providers.openaiUrl());
                environment.put("OPENAI_TIMEOUT_SECONDS", Integer.toString(PROVIDER_TIMEOUT_SECONDS));
                environment.put("FLOWISE_URL", providers.flowiseUrl());
                environment.put("FLOWISE_API_KEY", Providers.FLOWISE_KEY);
                environment.put("FLOWISE_PERSONA_FLOW_ID", Providers.PERSONA_FLOW);
                environment.put("FLOWISE_IMAGE_PROMPT_FLOW_ID", Providers.IMAGE_PROMPT_FLOW);
                environment.put("FLOWISE_TIMEOUT_SECONDS", Integer.toString(PROVIDER_TIMEOUT_SECONDS));
                environment.put("S3_ENDPOINT", providers.s3Url());
                environment.put("S3_ACCESS_KEY", Providers.S3_ACCESS_KEY);
                environment.put("S3_SECRET_KEY", "reliability-suite-s3-secret");
                environment.put("S3_BUCKET_NAME", S3_BUCKET);
                environment.put("AVATAR_PERSONA_CONCURRENCY", Integer.toString(PERSONA_CONCURRENCY));
                // a killed holder's task is taken over by the fallback poll after its lease: soon, not in 30 s
                environment.put("WORKER_INTERVAL", "2");
                // a provider that stops the stage (no quota) would stop it for 5 minutes: the suite has no such fault
                environment.put("AVATAR_HALT_COOLDOWN_SECONDS", "5");
            }
            // the simulators speak plain HTTP on this machine; real providers are https only
            instances.add(new Service(name, lab, dir, port, environment, List.of("--glisk.images.allow-http=true")));
        }
    }

    List<Service> instances() {
        return instances;
    }

    Service instance(int index) {
        return instances.get(index);
    }

    String adminPassword() {
        return adminPassword;
    }

    /** The first instance alone (it creates the schema), then the others together. */
    void start() throws IOException, InterruptedException {
        instances.get(0).start();
        instances.get(0).awaitReady(Duration.ofSeconds(180));
        for (Service instance : instances.subList(1, instances.size())) {
            instance.start();
        }
        for (Service instance : instances.subList(1, instances.size())) {
            instance.awaitReady(Duration.ofSeconds(180));
        }
    }

    void stop() throws InterruptedException {
        for (Service instance : instances) {
            instance.stop();
        }
    }

    /** Log lines of every instance that contain {@code text}. */
    List<String> logLines(String text) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Service instance : instances) {
            lines.addAll(instance.logLines(text));
        }
        return lines;
    }
}

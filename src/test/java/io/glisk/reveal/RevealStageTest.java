package io.glisk.reveal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.glisk.GliskApplication;
import io.glisk.chain.ChainConnection;
import io.glisk.chain.GliskContract;
import io.glisk.cid.ContentIds;
import io.glisk.local.chain.LocalAccounts;
import io.glisk.support.FreePorts;
import io.glisk.support.PipelineTest;
import io.glisk.support.TestChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/** The reveal stage against a real local chain running our contract. */
@TestPropertySource(properties = {
        "glisk.stages.detection.enabled=false", "glisk.stages.generation.enabled=false", "glisk.stages.ipfs.enabled=false",
        "glisk.reveal.wait-millis=300", "glisk.reveal.retry-delay-seconds=1", "glisk.reveal.max-retry-delay-seconds=2",
        "glisk.reveal.transaction-timeout-seconds=5", "glisk.reveal.receipt-poll-millis=200"})
class RevealStageTest extends PipelineTest {

    @Autowired
    ChainConnection connection;
    @Autowired
    GliskContract contract;
    @Autowired
    org.apache.camel.CamelContext camel;
    @Autowired
    RevealReceipts receipts;
    @Autowired
    KeeperTransactions keeper;
    @Autowired
    TransactionTemplate transactions;
    @Value("${spring.datasource.url}")
    String databaseUrl;
    TestChain chain;
    long author;

    @BeforeEach
    void connect() {
        chain = new TestChain(connection);
        author = author("0x7777000000000000000000000000000000000001", "revealed art");
    }

    @AfterEach
    void disconnect() throws Exception {
        rpc("evm_setAutomine", true);
        chain.close();
    }

    private void rpc(String method, Object... params) throws Exception {
        new Request<>(method, List.of(params), new HttpService(connection.rpcUrl()), VoidResponse.class).send();
    }

    private static String cid(long tokenId) {
        return ContentIds.cidV1(("metadata of token " + tokenId).getBytes());
    }

    /** Mints {@code quantity} tokens on chain and stores them as ready (pinned) tokens; answers their ids. */
    private List<Long> readyTokens(int quantity) throws Exception {
        List<Long> ids = new ArrayList<>();
        int left = quantity;
        while (left > 0) {
            int batch = Math.min(50, left);
            long first = contract.nextTokenId();
            chain.mint(TestChain.MINTERS.get(0), "0x7777000000000000000000000000000000000001", batch);
            for (long id = first; id < first + batch; id++) {
                ids.add(id);
            }
            left -= batch;
        }
        return ids;
    }

    /** Stores the tokens as ready (pinned) in one statement, so they all arrive at once. */
    private void markReady(List<Long> ids) {
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, metadata_cid) "
                + "SELECT unnest(?::bigint[]), ?, 'ready', unnest(?::text[])",
                ids.toArray(Long[]::new), author, ids.stream().map(RevealStageTest::cid).toArray(String[]::new));
    }

    private void awaitRevealed(List<Long> ids) {
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM tokens_s0 WHERE status = 'revealed' AND token_id = ANY (?)", Integer.class,
                (Object) ids.toArray(Long[]::new)) == ids.size());
    }

    @Test
    void readyTokensAreRevealedInBatchesOfFiftyWithTheirUris() throws Exception {
        List<Long> ids = readyTokens(120);
        // one insert for all: they are ready at once, as after an IPFS backlog
        markReady(ids);

        awaitRevealed(ids);

        // batches are sent side by side: which one got the lowest nonce is a race
        assertThat(jdbc.queryForList("SELECT cardinality(token_ids) FROM reveal_transactions WHERE status = 'confirmed'",
                Integer.class)).containsExactlyInAnyOrder(50, 50, 20);
        for (long id : ids) {
            assertThat(contract.tokenUri(id)).isEqualTo("ipfs://" + cid(id));
            assertThat(contract.isRevealed(id)).isTrue();
        }
        // each token names the transaction that revealed it
        assertThat(jdbc.queryForObject("SELECT count(*) FROM tokens_s0 t WHERE t.token_id = ANY (?) AND NOT EXISTS "
                + "(SELECT 1 FROM reveal_transactions r WHERE r.tx_hash = t.reveal_tx_hash AND t.token_id = ANY (r.token_ids))",
                Integer.class, (Object) ids.toArray(Long[]::new))).isZero();
        Map<String, Object> full = jdbc.queryForList("SELECT tx_hash, gas_used, cardinality(token_ids) AS n "
                + "FROM reveal_transactions WHERE cardinality(token_ids) = 50").get(0);
        System.out.printf("reveal gas: %s tokens, %s gas, %s per token%n", full.get("n"), full.get("gas_used"),
                ((BigDecimal) full.get("gas_used")).longValue() / (Integer) full.get("n"));
    }

    @Test
    void anAlreadyRevealedTokenIsLeftOutAndTheRestRevealedInOneTransaction() throws Exception {
        List<Long> ids = readyTokens(5);
        chain.reveal(List.of(ids.get(2)), List.of("ipfs://" + cid(ids.get(2))));

        markReady(ids);

        awaitRevealed(ids);
        List<Map<String, Object>> transactions = jdbc.queryForList("SELECT token_ids FROM reveal_transactions");
        assertThat(transactions).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT cardinality(token_ids) FROM reveal_transactions", Integer.class)).isEqualTo(4);
        assertThat(token(ids.get(2))).containsEntry("reveal_tx_hash", null).containsEntry("reveal_error", null);
    }

    @Test
    void feesAboveTheCapWaitAndProceedWhenTheyDrop() throws Exception {
        List<Long> ids = readyTokens(3);
        // 500 gwei base fee, above the local cap of 100 gwei
        rpc("anvil_setNextBlockBaseFeePerGas", "0x" + BigInteger.valueOf(500_000_000_000L).toString(16));
        chain.mine(1);

        markReady(ids);

        await().atMost(Duration.ofSeconds(10)).until(() -> token(ids.get(0)).get("reveal_error") != null);
        assertThat((String) token(ids.get(0)).get("reveal_error")).startsWith("fees above REVEAL_MAX_GAS_PRICE_GWEI");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM reveal_transactions", Integer.class)).isZero();
        assertThat(token(ids.get(0)).get("status")).isEqualTo("ready");

        rpc("anvil_setNextBlockBaseFeePerGas", "0x" + BigInteger.valueOf(1_000_000_000L).toString(16));
        chain.mine(1);

        awaitRevealed(ids);
        assertThat(token(ids.get(0)).get("reveal_error")).isNull();
    }

    @Test
    void aTransactionThatIsNotMinedIsReplacedAndTheTokensRevealedOnce() throws Exception {
        List<Long> ids = readyTokens(4);
        long nonceBefore = chain.web3j().ethGetTransactionCount(LocalAccounts.KEEPER.getAddress(),
                DefaultBlockParameterName.LATEST).send().getTransactionCount().longValueExact();
        rpc("evm_setAutomine", false);

        markReady(ids);

        // sent, not mined; after TRANSACTION_TIMEOUT_SECONDS (5 here) it is replaced with higher fees
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM reveal_transactions", Integer.class) == 2);
        Map<String, Object> original = jdbc.queryForMap("SELECT * FROM reveal_transactions ORDER BY id LIMIT 1");
        Map<String, Object> replacement = jdbc.queryForMap("SELECT * FROM reveal_transactions ORDER BY id DESC LIMIT 1");
        assertThat(replacement.get("nonce")).isEqualTo(original.get("nonce"));
        assertThat(((BigDecimal) replacement.get("max_fee_per_gas")).compareTo(
                ((BigDecimal) original.get("max_fee_per_gas")).multiply(new BigDecimal("1.125")))).isGreaterThanOrEqualTo(0);
        assertThat(((BigDecimal) replacement.get("max_priority_fee_per_gas")).compareTo(
                ((BigDecimal) original.get("max_priority_fee_per_gas")).multiply(new BigDecimal("1.125")))).isGreaterThanOrEqualTo(0);

        rpc("evm_setAutomine", true);
        chain.mine(1);

        awaitRevealed(ids);
        assertThat(jdbc.queryForList("SELECT status FROM reveal_transactions ORDER BY id", String.class))
                .containsExactlyInAnyOrder("confirmed", "replaced");
        assertThat(chain.web3j().ethGetTransactionCount(LocalAccounts.KEEPER.getAddress(),
                DefaultBlockParameterName.LATEST).send().getTransactionCount().longValueExact()).isEqualTo(nonceBefore + 1);
    }

    @Test
    void aRevokedKeeperRoleLeavesTokensReadyWithTheReasonUntilItIsGrantedAgain() throws Exception {
        List<Long> ids = readyTokens(2);
        chain.revokeKeeper(LocalAccounts.KEEPER.getAddress());
        try {
            markReady(ids);

            await().atMost(Duration.ofSeconds(10)).until(() -> token(ids.get(0)).get("reveal_error") != null);
            String refused = "the contract refuses the reveal: AccessControlUnauthorizedAccount("
                    + LocalAccounts.KEEPER.getAddress().toLowerCase();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> {
                Map<String, Object> waiting = token(ids.get(0));
                return "ready".equals(waiting.get("status")) && ((String) waiting.get("reveal_error")).startsWith(refused)
                        && jdbc.queryForObject("SELECT count(*) FROM reveal_transactions", Integer.class) == 0;
            });
            // backing off, not busy-looping: a handful of tries in those ~3 s (1 s, then 2 s pauses)
            assertThat((Integer) token(ids.get(0)).get("reveal_attempts")).isBetween(1, 4);
        } finally {
            chain.grantKeeper(LocalAccounts.KEEPER.getAddress());
        }

        awaitRevealed(ids);
    }

    @Test
    void afterACrashBetweenBroadcastAndBookkeepingNothingIsRevealedTwice() throws Exception {
        List<Long> sentBeforeCrash = readyTokens(3);
        List<Long> recordedNotSent = readyTokens(2);
        // this test's own pipeline is the instance that crashed: gone, or it would claim the tokens marked ready
        // below before their transactions are recorded, and send them itself
        camel.getRouteController().stopRoute("reveal");
        camel.getRouteController().stopRoute("reveal-receipts");
        markReady(sentBeforeCrash);
        markReady(recordedNotSent);
        // what the crashed instance left: one transaction broadcast (and mined), one recorded but never broadcast;
        // their tokens are held by these open transactions
        long nonce = chain.web3j().ethGetTransactionCount(LocalAccounts.KEEPER.getAddress(),
                DefaultBlockParameterName.PENDING).send().getTransactionCount().longValueExact();
        byte[] broadcast = signReveal(nonce, sentBeforeCrash);
        chain.web3j().ethSendRawTransaction(Numeric.toHexString(broadcast)).send();
        record(nonce, sentBeforeCrash, broadcast, "sent");
        record(nonce + 1, recordedNotSent, signReveal(nonce + 1, recordedNotSent), "pending");

        // the restarted instance: a live one (no simulators, no local chain of its own) over the same database
        // and chain, reconciling before it sends anything
        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(GliskApplication.class).run(
                "--glisk.mode=live", "--spring.datasource.url=" + databaseUrl, "--spring.datasource.username=postgres",
                "--server.port=" + FreePorts.next(),
                "--RPC_URL=" + connection.rpcUrl(), "--CHAIN_ID=" + connection.chainId(),
                "--GLISK_NFT_CONTRACT_ADDRESS=" + connection.contractAddress(),
                "--KEEPER_PRIVATE_KEY=" + connection.keeperPrivateKey().value(),
                "--REVEAL_MAX_GAS_PRICE_GWEI=100", "--glisk.reveal.receipt-poll-millis=200",
                "--GLISK_ADMIN_USER=" + ADMIN_USER, "--GLISK_ADMIN_PASSWORD=" + ADMIN_PASSWORD,
                "--glisk.stages.detection.enabled=false", "--glisk.stages.generation.enabled=false",
                "--glisk.stages.ipfs.enabled=false", "--glisk.stages.avatar.enabled=false")) {
            awaitRevealed(sentBeforeCrash);
            awaitRevealed(recordedNotSent);
        } finally {
            camel.getRouteController().startRoute("reveal-receipts");
            camel.getRouteController().startRoute("reveal");
        }

        assertThat(jdbc.queryForList("SELECT status FROM reveal_transactions ORDER BY nonce", String.class))
                .containsExactly("confirmed", "confirmed");
        assertThat(chain.web3j().ethGetTransactionCount(LocalAccounts.KEEPER.getAddress(),
                DefaultBlockParameterName.LATEST).send().getTransactionCount().longValueExact()).isEqualTo(nonce + 2);
    }

    @Test
    void aSenderThatWaitedForAnotherInstancesNonceTakesTheNextOne() throws Exception {
        camel.getRouteController().stopRoute("reveal");
        camel.getRouteController().stopRoute("reveal-receipts");
        Fees fees = new Fees(BigInteger.valueOf(2_000_000_000L), BigInteger.ONE);
        BigInteger gas = BigInteger.valueOf(100_000);
        try {
            // another instance chooses and records its nonce; this one asks for a nonce meanwhile and waits
            AtomicReference<CompletableFuture<KeeperTransactions.Recorded>> waiting = new AtomicReference<>();
            KeeperTransactions.Recorded first = transactions.execute(status -> {
                try {
                    KeeperTransactions.Recorded recorded = keeper.recordNew(List.of(), List.of(1L), List.of("ipfs://a"),
                            "0x01", gas, fees);
                    waiting.set(CompletableFuture.supplyAsync(() -> {
                        try {
                            return keeper.recordNew(List.of(), List.of(2L), List.of("ipfs://b"), "0x02", gas, fees);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
                    Thread.sleep(1_000);
                    assertThat(waiting.get()).isNotDone();
                    return recorded;
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });

            assertThat(waiting.get().get(10, TimeUnit.SECONDS).nonce()).isEqualTo(first.nonce() + 1);
        } finally {
            jdbc.update("UPDATE reveal_transactions SET status = 'failed', error = 'test transaction, never sent'");
            camel.getRouteController().startRoute("reveal-receipts");
            camel.getRouteController().startRoute("reveal");
        }
    }

    @Test
    void aTransactionTheNodeRefusesIsSettledAndNeverBlocksTheNextOnes() throws Exception {
        // one token: every try of its batch is the same bytes (the order of a batch's tokens varies)
        List<Long> ids = readyTokens(1);
        String keeper = LocalAccounts.KEEPER.getAddress();
        BigInteger balance = chain.web3j().ethGetBalance(keeper, DefaultBlockParameterName.LATEST).send().getBalance();
        rpc("anvil_setBalance", keeper, "0x0");
        try {
            markReady(ids);

            // refused at broadcast ("insufficient funds"): over, with the node's reason, tokens ready again. They
            // go again after the retry delay with the same nonce and fees, so the very same signed bytes: refused
            // again, and recorded again with the node's reason
            await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM reveal_transactions WHERE status = 'failed'", Integer.class) >= 2);
            assertThat(jdbc.queryForList("SELECT error FROM reveal_transactions WHERE status = 'failed'", String.class))
                    .allSatisfy(error -> assertThat(error).containsIgnoringCase("insufficient funds"));
            assertThat(jdbc.queryForList("SELECT detail->>'error' FROM token_events WHERE token_id = ? AND event = 'waiting'",
                    String.class, ids.get(0))).allSatisfy(error -> assertThat(error).containsIgnoringCase("insufficient funds"));
        } finally {
            rpc("anvil_setBalance", keeper, "0x" + balance.toString(16));
        }

        // funded again: the same tokens go out in a new transaction
        awaitRevealed(ids);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM reveal_transactions WHERE status IN ('pending', 'sent')",
                Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM reveal_transactions WHERE status = 'confirmed'",
                Integer.class)).isEqualTo(1);
    }

    @Test
    void aRefusalSettledByTheSenderAndByAReceiptCheckAtOnceReleasesTheTokensOnce() throws Exception {
        List<Long> ids = readyTokens(2);
        long nonce = chain.web3j().ethGetTransactionCount(LocalAccounts.KEEPER.getAddress(),
                DefaultBlockParameterName.PENDING).send().getTransactionCount().longValueExact();
        byte[] raw = signReveal(nonce, ids);
        // recorded (so no batch claims its tokens) and about to be broadcast
        record(nonce, ids, raw, "pending");
        markReady(ids);
        long id = jdbc.queryForObject("SELECT id FROM reveal_transactions WHERE nonce = ? AND status = 'pending'",
                Long.class, nonce);
        KeeperTransactions.Recorded tx = new KeeperTransactions.Recorded(id, LocalAccounts.KEEPER.getAddress().toLowerCase(),
                nonce, Numeric.toHexString(org.web3j.crypto.Hash.sha3(raw)), raw, ids,
                new Fees(BigInteger.valueOf(20_000_000_000L), BigInteger.valueOf(1_000_000_000L)),
                BigInteger.valueOf(1_000_000), false);
        String keeperAddress = LocalAccounts.KEEPER.getAddress();
        BigInteger balance = chain.web3j().ethGetBalance(keeperAddress, DefaultBlockParameterName.LATEST).send().getBalance();
        rpc("anvil_setBalance", keeperAddress, "0x0");
        try {
            // the sender settles the node's refusal, and a receipt check that broadcast the same bytes settles it too
            assertThat(receipts.refusedBroadcast(tx, keeper.broadcast(tx))).isTrue();
            assertThat(receipts.refusedBroadcast(tx, keeper.broadcast(tx))).isTrue();
        } finally {
            rpc("anvil_setBalance", keeperAddress, "0x" + balance.toString(16));
        }

        // one failure: counted once, one waiting event per token, not two
        assertThat(jdbc.queryForObject("SELECT status FROM reveal_transactions WHERE id = ?", String.class, id))
                .isEqualTo("failed");
        for (long tokenId : ids) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM token_events WHERE token_id = ? AND event = 'waiting'",
                    Integer.class, tokenId)).isEqualTo(1);
        }
        awaitRevealed(ids);
        assertThat(jdbc.queryForList("SELECT reveal_attempts FROM tokens_s0 WHERE token_id = ANY (?)", Integer.class,
                (Object) ids.toArray(Long[]::new))).containsOnly(1);
    }

    @Test
    void aTokenTheContractNeverMintedFailsAloneAndTheRestOfItsBatchIsRevealed() throws Exception {
        List<Long> ids = readyTokens(3);
        long phantom = contract.nextTokenId() + 100;
        List<Long> all = new ArrayList<>(ids);
        all.add(phantom);

        markReady(all);

        awaitRevealed(ids);
        Map<String, Object> token = awaitStatus(phantom, "failed");
        assertThat(token).containsEntry("failed_stage", "reveal").containsEntry("lease_id", null);
        assertThat((String) token.get("reveal_error")).startsWith("Token " + phantom + " does not exist on chain");
        assertThat((Long[]) jdbc.queryForObject("SELECT token_ids FROM reveal_transactions WHERE status = 'confirmed'",
                java.sql.Array.class).getArray()).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aTransactionStrandedBehindANonceGapIsSettledAndItsTokensRevealedOnAFreshNonce() throws Exception {
        List<Long> ids = readyTokens(2);
        long nonce = chain.web3j().ethGetTransactionCount(LocalAccounts.KEEPER.getAddress(),
                DefaultBlockParameterName.PENDING).send().getTransactionCount().longValueExact();
        // recorded and sent with a nonce the chain is far from (a chain reset under a kept database): the node
        // holds it back for ever
        byte[] stranded = signReveal(nonce + 5, ids);
        String strandedHash = chain.web3j().ethSendRawTransaction(Numeric.toHexString(stranded)).send().getTransactionHash();
        try {
            record(nonce + 5, ids, stranded, "sent");
            markReady(ids);
            receipts.check(); // as the next check of open transactions does

            awaitRevealed(ids);
        } finally {
            rpc("anvil_dropTransaction", strandedHash);
        }
        assertThat(jdbc.queryForList("SELECT status FROM reveal_transactions ORDER BY id", String.class))
                .containsExactly("failed", "confirmed");
        assertThat(jdbc.queryForObject("SELECT error FROM reveal_transactions WHERE status = 'failed'", String.class))
                .startsWith("nonce gap");
        assertThat(jdbc.queryForObject("SELECT nonce FROM reveal_transactions WHERE status = 'confirmed'", Long.class))
                .isEqualTo(nonce);
    }

    @Test
    void aRotatedKeeperKeyCountsItsOwnNoncesFromTheChain() throws Exception {
        // the current keeper has revealed before: its transactions (and nonces) are in the database
        List<Long> before = readyTokens(2);
        markReady(before);
        awaitRevealed(before);

        Credentials rotated = Credentials.create(org.web3j.crypto.Keys.createEcKeyPair());
        rpc("anvil_setBalance", rotated.getAddress(), "0x56bc75e2d63100000");
        chain.grantKeeper(rotated.getAddress());
        camel.getRouteController().stopRoute("reveal");
        camel.getRouteController().stopRoute("reveal-receipts");
        List<Long> after = readyTokens(2);
        markReady(after);
        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(GliskApplication.class).run(
                "--glisk.mode=live", "--spring.datasource.url=" + databaseUrl, "--spring.datasource.username=postgres",
                "--server.port=" + FreePorts.next(),
                "--RPC_URL=" + connection.rpcUrl(), "--CHAIN_ID=" + connection.chainId(),
                "--GLISK_NFT_CONTRACT_ADDRESS=" + connection.contractAddress(),
                "--KEEPER_PRIVATE_KEY=" + Numeric.toHexStringWithPrefixZeroPadded(rotated.getEcKeyPair().getPrivateKey(), 64),
                "--REVEAL_MAX_GAS_PRICE_GWEI=100", "--glisk.reveal.receipt-poll-millis=200",
                "--glisk.reveal.wait-millis=300",
                "--GLISK_ADMIN_USER=" + ADMIN_USER, "--GLISK_ADMIN_PASSWORD=" + ADMIN_PASSWORD,
                "--glisk.stages.detection.enabled=false", "--glisk.stages.generation.enabled=false",
                "--glisk.stages.ipfs.enabled=false", "--glisk.stages.avatar.enabled=false")) {
            awaitRevealed(after);
        } finally {
            camel.getRouteController().startRoute("reveal-receipts");
            camel.getRouteController().startRoute("reveal");
        }

        Map<String, Object> sent = jdbc.queryForMap("SELECT sender, nonce FROM reveal_transactions WHERE status = 'confirmed' "
                + "ORDER BY id DESC LIMIT 1");
        assertThat(sent).containsEntry("sender", rotated.getAddress()).containsEntry("nonce", 0L);
    }

    @Test
    void theGasStrategyChangesThePriorityFee() throws Exception {
        Map<GasStrategy, Fees> fees = new java.util.EnumMap<>(GasStrategy.class);
        BigInteger suggested;
        BigInteger before;
        do { // the node's suggestion moves with each block: read it again until no block came in between
            before = chain.web3j().ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas();
            for (GasStrategy strategy : GasStrategy.values()) {
                fees.put(strategy, new KeeperFees(chain.web3j(), new RevealSettings(50, 1, new BigDecimal("1.2"), strategy,
                        new BigDecimal("100"), 180, new BigDecimal("15"), 200, 1, 2)).current());
            }
            suggested = chain.web3j().ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas();
        } while (!suggested.equals(before));

        assertThat(fees.get(GasStrategy.MEDIUM).maxPriorityFeePerGas()).isEqualTo(suggested);
        assertThat(fees.get(GasStrategy.SLOW).maxPriorityFeePerGas())
                .isEqualTo(new BigDecimal(suggested).multiply(new BigDecimal("0.8")).setScale(0, java.math.RoundingMode.CEILING)
                        .toBigInteger());
        assertThat(fees.get(GasStrategy.FAST).maxPriorityFeePerGas())
                .isEqualTo(new BigDecimal(suggested).multiply(new BigDecimal("1.5")).setScale(0, java.math.RoundingMode.CEILING)
                        .toBigInteger());
        // max fee = 2 × base fee + priority, so it moves with the strategy too
        assertThat(fees.get(GasStrategy.FAST).maxFeePerGas()).isGreaterThan(fees.get(GasStrategy.SLOW).maxFeePerGas());
    }

    private byte[] signReveal(long nonce, List<Long> ids) {
        List<String> uris = ids.stream().map(id -> "ipfs://" + cid(id)).toList();
        RawTransaction raw = RawTransaction.createTransaction(connection.chainId(), BigInteger.valueOf(nonce),
                BigInteger.valueOf(1_000_000), connection.contractAddress(), BigInteger.ZERO,
                GliskContract.encodeReveal(ids, uris), BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(20_000_000_000L));
        return TransactionEncoder.signMessage(raw, connection.chainId(), Credentials.create(connection.keeperPrivateKey().value()));
    }

    private void record(long nonce, List<Long> ids, byte[] raw, String status) {
        jdbc.update("INSERT INTO reveal_transactions (nonce, tx_hash, token_ids, metadata_uris, gas_limit, max_fee_per_gas, "
                + "max_priority_fee_per_gas, status, raw_transaction, chain_id, sent_at) VALUES (?, ?, ?, ?, 1000000, "
                + "20000000000, 1000000000, ?, ?, ?, CASE WHEN ? = 'sent' THEN now() END)",
                nonce, Numeric.toHexString(org.web3j.crypto.Hash.sha3(raw)), ids.toArray(Long[]::new),
                ids.stream().map(id -> "ipfs://" + cid(id)).toArray(String[]::new), status, raw, connection.chainId(), status);
    }
}

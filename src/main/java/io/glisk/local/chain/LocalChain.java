package io.glisk.local.chain;

import io.glisk.chain.ChainConnection;
import io.glisk.chain.ChainPolls;
import io.glisk.chain.GliskContract;
import io.glisk.events.PipelineEvents;
import io.glisk.local.LocalSettings;
import io.glisk.settings.ConditionalOnStage;
import io.glisk.settings.RunMode;
import io.glisk.settings.Secret;
import io.glisk.sql.SqlResources;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.event.Level;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/**
 * Local mode's chain: anvil on LOCAL_CHAIN_PORT running our contract (deployed once, then found again in the
 * kept chain state), with the pipeline's keeper granted KEEPER_ROLE. It supplies the chain connection that
 * live mode reads from RPC_URL, CHAIN_ID, GLISK_NFT_CONTRACT_ADDRESS and KEEPER_PRIVATE_KEY.
 */
@Configuration(proxyBeanMethods = false)
@Profile("local")
@Conditional(RunMode.OwnChain.class)
@ConditionalOnStage({"detection", "reveal"})
class LocalChain {

    static final long CHAIN_ID = 31337;

    @Bean(destroyMethod = "close")
    AnvilProcess localAnvil(LocalSettings settings, ChainPolls chainPolls) throws IOException, InterruptedException {
        Path stateDir = settings.ephemeral() ? Files.createTempDirectory("glisk-anvil-")
                : Path.of(settings.dataDir(), "anvil").toAbsolutePath();
        return AnvilProcess.start(settings.anvilBin(), settings.chainPort(), stateDir, !settings.ephemeral(), CHAIN_ID,
                chainPolls);
    }

    @Bean
    ChainConnection localChainConnection(AnvilProcess anvil, NamedParameterJdbcTemplate jdbc, SqlResources sql)
            throws IOException {
        Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
        try {
            String contract = existingContract(web3j, jdbc, sql);
            if (contract == null) {
                contract = deploy(web3j);
                forgetTokensOfAnOlderChain(jdbc, sql);
                jdbc.update(sql.load("sql/local/record-contract.sql"), Map.of("contract", contract));
            }
            PipelineEvents.event(Level.WARN, "local.chain").addKeyValue("rpc_url", anvil.rpcUrl()).addKeyValue("chain_id", CHAIN_ID)
                    .addKeyValue("contract", contract).addKeyValue("keeper", LocalAccounts.KEEPER.getAddress()).log();
            return new ChainConnection(anvil.rpcUrl(), CHAIN_ID, contract,
                    new Secret(LocalAccounts.KEEPER.getEcKeyPair().getPrivateKey().toString(16)), true);
        } finally {
            web3j.shutdown();
        }
    }

    /** The contract recorded earlier, if the (kept) chain still has its code. */
    private static String existingContract(Web3j web3j, NamedParameterJdbcTemplate jdbc, SqlResources sql)
            throws IOException {
        List<String> recorded = jdbc.queryForList(sql.load("sql/local/contract.sql"), Map.of(), String.class);
        if (recorded.isEmpty()) {
            return null;
        }
        String code = web3j.ethGetCode(recorded.get(0), DefaultBlockParameterName.LATEST).send().getCode();
        return code == null || code.equals("0x") ? null : recorded.get(0);
    }

    private static String deploy(Web3j web3j) throws IOException {
        String bytecode;
        try (InputStream artifact = new ClassPathResource("contracts/GliskNFT.json").getInputStream()) {
            bytecode = new com.fasterxml.jackson.databind.ObjectMapper().readTree(artifact).get("bytecode").asText();
        }
        List<Type> arguments = List.of(new Utf8String("GLISK Season 0"), new Utf8String("GLISK0"),
                new Utf8String("ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"), new Uint256(0));
        String contract = LocalTransactions.send(web3j, CHAIN_ID, LocalAccounts.DEPLOYER, null,
                bytecode + FunctionEncoder.encodeConstructor(arguments), BigInteger.ZERO).getContractAddress();
        LocalTransactions.send(web3j, CHAIN_ID, LocalAccounts.DEPLOYER, contract,
                GliskContract.encodeGrantKeeper(LocalAccounts.KEEPER.getAddress()), BigInteger.ZERO);
        return contract.toLowerCase();
    }

    /**
     * A freshly deployed contract numbers tokens from 1 again: tokens of an earlier local chain would
     * shadow the new ones, so the local pipeline starts over with the chain.
     */
    private static void forgetTokensOfAnOlderChain(NamedParameterJdbcTemplate jdbc, SqlResources sql) {
        Long forgotten = jdbc.queryForObject(sql.load("sql/local/forget-older-chain.sql"), Map.of(), Long.class);
        if (forgotten != null && forgotten > 0) {
            PipelineEvents.event(Level.WARN, "local.chain.fresh").addKeyValue("forgotten_tokens", forgotten).log();
        }
    }
}

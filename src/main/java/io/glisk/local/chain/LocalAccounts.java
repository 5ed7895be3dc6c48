package io.glisk.local.chain;

import org.web3j.crypto.Credentials;

/**
 * anvil's well-known development accounts (the default test mnemonic): public knowledge, funded with test
 * ether on every local chain, never valid anywhere that matters.
 */
public final class LocalAccounts {

    /** Deploys the contract; holds DEFAULT_ADMIN_ROLE. */
    public static final Credentials DEPLOYER =
            Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    /** The pipeline's keeper: holds KEEPER_ROLE, sends the reveals. */
    public static final Credentials KEEPER =
            Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    /** Sends demo mints. */
    public static final Credentials MINTER =
            Credentials.create("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
    /** Prompt author of demo mints that name none. */
    public static final String DEMO_AUTHOR = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";

    private LocalAccounts() {
    }
}

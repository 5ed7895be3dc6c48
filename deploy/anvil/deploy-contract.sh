#!/bin/sh
# docker-compose's one-shot "contract" service: deploys GliskNFT (the artifact the service ships) to the
# compose anvil and grants the pipeline's keeper KEEPER_ROLE. Run again on a kept chain, it finds the
# contract and does nothing. Needs foundry's `cast`; the tests run it against a throwaway anvil
# too (scripts/check-compose-deploy).
# The keys are anvil's well-known development accounts: never use them on a real network.
set -eu

RPC_URL=${RPC_URL:-http://anvil:8545}
ARTIFACT=${ARTIFACT:-/contracts/GliskNFT.json}
DEPLOYER_KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80   # anvil account 0
KEEPER=0x70997970C51812dc3A010C7d01b50e0d17dc79C8                                 # anvil account 1
# the deployer's first contract (nonce 0): docker-compose.yml gives the service this address
CONTRACT=0x5FbDB2315678afecb367f032d93F642f64180aa3
PLACEHOLDER=ipfs://bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy

until cast chain-id --rpc-url "$RPC_URL" >/dev/null 2>&1; do
  echo "waiting for $RPC_URL"; sleep 1
done

if [ "$(cast code --rpc-url "$RPC_URL" "$CONTRACT")" != "0x" ]; then
  echo "GliskNFT already deployed at $CONTRACT"
else
  if [ "$(cast nonce --rpc-url "$RPC_URL" "$(cast wallet address "$DEPLOYER_KEY")")" != "0" ]; then
    echo "the deployer account has sent transactions already: GliskNFT would not land at $CONTRACT" >&2
    exit 1
  fi
  bytecode=$(grep -o '"bytecode": *"0x[0-9a-fA-F]*"' "$ARTIFACT" | head -n 1 | grep -o '0x[0-9a-fA-F]*')
  arguments=$(cast abi-encode "constructor(string,string,string,uint256)" "GLISK Season 0" GLISK0 "$PLACEHOLDER" 0)
  cast send --rpc-url "$RPC_URL" --private-key "$DEPLOYER_KEY" --create "${bytecode}${arguments#0x}" >/dev/null
  echo "GliskNFT deployed at $CONTRACT"
fi

if [ "$(cast call --rpc-url "$RPC_URL" "$CONTRACT" "hasRole(bytes32,address)(bool)" "$(cast keccak KEEPER_ROLE)" "$KEEPER")" != "true" ]; then
  cast send --rpc-url "$RPC_URL" --private-key "$DEPLOYER_KEY" "$CONTRACT" \
    "grantRole(bytes32,address)" "$(cast keccak KEEPER_ROLE)" "$KEEPER" >/dev/null
  echo "KEEPER_ROLE granted to $KEEPER"
fi

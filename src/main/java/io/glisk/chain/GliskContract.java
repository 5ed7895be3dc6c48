package io.glisk.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthGetCode;
import org.web3j.utils.Numeric;

/**
 * Our contract's ABI as the pipeline uses it: calls encoded and answers decoded with web3j's ABI codec
 * (no generated wrapper), and the BatchMinted event read from raw log topics and data — from the node or
 * from a webhook, checked the same way.
 */
public class GliskContract {

    public static final Event BATCH_MINTED = new Event("BatchMinted", List.of(
            new TypeReference<Address>(true) { }, new TypeReference<Address>(true) { },
            new TypeReference<Uint256>(true) { }, new TypeReference<Uint256>() { }, new TypeReference<Uint256>() { }));
    public static final String BATCH_MINTED_TOPIC = EventEncoder.encode(BATCH_MINTED);
    /** keccak256("KEEPER_ROLE") */
    public static final byte[] KEEPER_ROLE = org.web3j.crypto.Hash.sha3("KEEPER_ROLE".getBytes());
    private static final int MAX_MINT_QUANTITY = 50;

    private final Web3j web3j;
    private final String address;

    public GliskContract(Web3j web3j, String address) {
        this.web3j = web3j;
        this.address = address.toLowerCase(Locale.ROOT);
    }

    public String address() {
        return address;
    }

    public long nextTokenId() throws IOException {
        return nextTokenId(DefaultBlockParameterName.LATEST);
    }

    /** nextTokenId as of a block (detection reads confirmed blocks only). */
    public long nextTokenId(DefaultBlockParameter block) throws IOException {
        return ((Uint256) call("nextTokenId", List.of(), new TypeReference<Uint256>() { }, block)).getValue()
                .longValueExact();
    }

    /** Whether the contract existed as of a block (it has no state to read before its deployment). */
    public boolean isDeployed(DefaultBlockParameter block) throws IOException {
        EthGetCode answer = web3j.ethGetCode(address, block).send();
        if (answer.hasError()) {
            throw new IOException("eth_getCode failed: " + answer.getError().getMessage());
        }
        return answer.getCode() != null && !answer.getCode().equals("0x");
    }

    public String tokenPromptAuthor(long tokenId) throws IOException {
        return ((Address) call("tokenPromptAuthor", List.of(new Uint256(tokenId)), new TypeReference<Address>() { }))
                .getValue();
    }

    public boolean isRevealed(long tokenId) throws IOException {
        return ((Bool) call("isRevealed", List.of(new Uint256(tokenId)), new TypeReference<Bool>() { })).getValue();
    }

    public String tokenUri(long tokenId) throws IOException {
        return ((Utf8String) call("tokenURI", List.of(new Uint256(tokenId)), new TypeReference<Utf8String>() { }))
                .getValue();
    }

    /** What gap recovery needs to know of a token: its prompt author, and its URI once revealed. */
    public record TokenOnChain(long tokenId, String promptAuthor, String revealedUri) {
    }

    /**
     * tokenPromptAuthor, isRevealed and (for revealed tokens) tokenURI of many tokens as of a block, in a few
     * JSON-RPC batch requests rather than three round trips per token.
     */
    public List<TokenOnChain> tokens(List<Long> tokenIds, DefaultBlockParameter block) throws IOException {
        List<String> authors = batch(tokenIds.stream().map(id -> call("tokenPromptAuthor", new Uint256(id),
                new TypeReference<Address>() { })).toList(), block);
        Map<Long, String> uris = revealedUris(tokenIds, block);
        List<TokenOnChain> tokens = new ArrayList<>();
        for (int i = 0; i < tokenIds.size(); i++) {
            tokens.add(new TokenOnChain(tokenIds.get(i), authors.get(i), uris.get(tokenIds.get(i))));
        }
        return tokens;
    }

    /** Where a token stands for a reveal: never minted, minted and waiting, or revealed with this URI. */
    public record RevealState(long tokenId, boolean minted, String revealedUri) {
    }

    /**
     * What a reveal batch must know of its tokens before it is sent: a token the contract never minted, or one
     * already revealed, would revert the whole batch.
     */
    public List<RevealState> revealStates(List<Long> tokenIds) throws IOException {
        long next = nextTokenId();
        Map<Long, String> uris = revealedUris(tokenIds.stream().filter(id -> id > 0 && id < next).toList(),
                DefaultBlockParameterName.LATEST);
        return tokenIds.stream().map(id -> new RevealState(id, id > 0 && id < next, uris.get(id))).toList();
    }

    /** The URI of each of these (minted) tokens that is revealed: isRevealed, then tokenURI of those that are. */
    private Map<Long, String> revealedUris(List<Long> tokenIds, DefaultBlockParameter block) throws IOException {
        List<String> revealed = batch(tokenIds.stream().map(id -> call("isRevealed", new Uint256(id),
                new TypeReference<Bool>() { })).toList(), block);
        List<Long> revealedIds = new ArrayList<>();
        for (int i = 0; i < tokenIds.size(); i++) {
            if (Boolean.parseBoolean(revealed.get(i))) {
                revealedIds.add(tokenIds.get(i));
            }
        }
        List<String> uris = batch(revealedIds.stream().map(id -> call("tokenURI", new Uint256(id),
                new TypeReference<Utf8String>() { })).toList(), block);
        Map<Long, String> byId = new HashMap<>();
        for (int i = 0; i < revealedIds.size(); i++) {
            byId.put(revealedIds.get(i), uris.get(i));
        }
        return byId;
    }

    private Function call(String name, Type<?> argument, TypeReference<?> returns) {
        return new Function(name, List.of(argument), List.of(returns));
    }

    private List<String> batch(List<Function> functions, DefaultBlockParameter block) throws IOException {
        if (functions.isEmpty()) {
            return List.of();
        }
        var batch = web3j.newBatch();
        for (Function function : functions) {
            batch.add(web3j.ethCall(Transaction.createEthCallTransaction(null, address, FunctionEncoder.encode(function)),
                    block));
        }
        List<? extends org.web3j.protocol.core.Response<?>> responses = batch.send().getResponses();
        List<String> values = new java.util.ArrayList<>();
        for (int i = 0; i < functions.size(); i++) {
            EthCall answer = (EthCall) responses.get(i);
            if (answer.hasError() || answer.isReverted()) {
                throw new IOException(functions.get(i).getName() + " call failed: "
                        + (answer.hasError() ? answer.getError().getMessage() : answer.getRevertReason()));
            }
            List<Type> decoded = FunctionReturnDecoder.decode(answer.getValue(), functions.get(i).getOutputParameters());
            if (decoded.isEmpty()) {
                throw new IOException(functions.get(i).getName() + " returned nothing");
            }
            values.add(String.valueOf(decoded.get(0).getValue()));
        }
        return values;
    }

    public static String encodeReveal(List<Long> tokenIds, List<String> uris) {
        return FunctionEncoder.encode(new Function("revealTokens", List.of(
                new DynamicArray<>(Uint256.class, tokenIds.stream().map(Uint256::new).toList()),
                new DynamicArray<>(Utf8String.class, uris.stream().map(Utf8String::new).toList())), List.of()));
    }

    public static String encodeMint(String promptAuthor, int quantity) {
        return FunctionEncoder.encode(new Function("mint",
                List.of(new Address(promptAuthor), new Uint256(quantity)), List.of()));
    }

    public static String encodeGrantKeeper(String account) {
        return FunctionEncoder.encode(new Function("grantRole",
                List.of(new Bytes32(KEEPER_ROLE), new Address(account)), List.of()));
    }

    /**
     * A BatchMinted log of this contract, or empty when the log is something else (another event or
     * contract) or malformed. Input may come from outside (a webhook), so nothing is assumed.
     */
    public Optional<MintEvent> batchMinted(String logAddress, List<String> topics, String data, String txHash,
                                           long logIndex, long blockNumber, String blockHash) {
        if (logAddress == null || !address.equals(logAddress.toLowerCase(Locale.ROOT)) || topics == null
                || topics.size() != 4 || !BATCH_MINTED_TOPIC.equalsIgnoreCase(topics.get(0))
                || data == null || !data.matches("0x[0-9a-fA-F]{128}")
                || topics.stream().skip(1).anyMatch(t -> t == null || !t.matches("0x[0-9a-fA-F]{64}"))) {
            return Optional.empty();
        }
        List<Type> values = FunctionReturnDecoder.decode(data, BATCH_MINTED.getNonIndexedParameters());
        BigInteger start = Numeric.toBigInt(topics.get(3));
        BigInteger quantity = (BigInteger) values.get(0).getValue();
        if (start.signum() <= 0 || start.bitLength() > 62 || quantity.signum() <= 0
                || quantity.compareTo(BigInteger.valueOf(MAX_MINT_QUANTITY)) > 0) {
            return Optional.empty();
        }
        return Optional.of(new MintEvent(txHash.toLowerCase(Locale.ROOT), logIndex, blockNumber,
                blockHash == null ? null : blockHash.toLowerCase(Locale.ROOT), address,
                topicAddress(topics.get(1)), topicAddress(topics.get(2)), start.longValueExact(), quantity.intValueExact(),
                (BigInteger) values.get(1).getValue()));
    }

    private static String topicAddress(String topic) {
        return "0x" + topic.substring(topic.length() - 40).toLowerCase(Locale.ROOT);
    }

    private Type<?> call(String name, List<Type> arguments, TypeReference<?> returns) throws IOException {
        return call(name, arguments, returns, DefaultBlockParameterName.LATEST);
    }

    private Type<?> call(String name, List<Type> arguments, TypeReference<?> returns, DefaultBlockParameter block)
            throws IOException {
        Function function = new Function(name, arguments, List.of(returns));
        EthCall answer = web3j.ethCall(Transaction.createEthCallTransaction(null, address, FunctionEncoder.encode(function)),
                block).send();
        if (answer.hasError() || answer.isReverted()) {
            throw new IOException(name + " call failed: " + (answer.hasError() ? answer.getError().getMessage()
                    : answer.getRevertReason()));
        }
        List<Type> decoded = FunctionReturnDecoder.decode(answer.getValue(), function.getOutputParameters());
        if (decoded.isEmpty()) {
            throw new IOException(name + " returned nothing: is " + address + " the GLISK contract?");
        }
        return decoded.get(0);
    }
}

package io.glisk.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.ClassPathResource;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Names the contract's custom errors in revert data (AlreadyRevealed(uint256), the access-control errors, …)
 * from the ABI of the contract artifact, so an operator reads "AccessControlUnauthorizedAccount(0x…, …)"
 * instead of hex.
 */
public final class ContractErrors {

    private record ErrorType(String name, List<String> inputs) {
    }

    private static final Map<String, ErrorType> BY_SELECTOR = load();
    private static final Pattern CUSTOM_ERROR = Pattern.compile("custom error (0x[0-9a-fA-F]{8}):? ?([0-9a-fA-F]*)");

    private ContractErrors() {
    }

    /**
     * A readable reason for a node's JSON-RPC error: from its revert data, or from the message when the node
     * puts the data there instead (anvil: "execution reverted: custom error 0x…: …").
     */
    public static String describe(String revertData, String message) {
        if (revertData != null && revertData.startsWith("0x") && revertData.length() >= 10) {
            return describe(revertData);
        }
        if (message != null) {
            Matcher custom = CUSTOM_ERROR.matcher(message);
            if (custom.find()) {
                return describe(custom.group(1) + custom.group(2));
            }
        }
        return message == null ? "reverted without a reason" : message;
    }

    /** A readable reason for revert data (0x + selector + arguments), or the data itself when unknown. */
    public static String describe(String revertData) {
        if (revertData == null || !revertData.startsWith("0x") || revertData.length() < 10) {
            return "reverted without a reason";
        }
        ErrorType error = BY_SELECTOR.get(revertData.substring(0, 10).toLowerCase());
        if (error == null) {
            return "reverted with " + revertData;
        }
        List<TypeReference<Type>> types = new ArrayList<>();
        for (String input : error.inputs()) {
            types.add(typeOf(input));
        }
        List<String> values = new ArrayList<>();
        try {
            if (!types.contains(null)) {
                for (Type<?> value : FunctionReturnDecoder.decode("0x" + revertData.substring(10), types)) {
                    values.add(value instanceof Bytes32 b ? Numeric.toHexString(b.getValue()) : String.valueOf(value.getValue()));
                }
            }
        } catch (RuntimeException malformed) {
            values.clear();
        }
        return error.name() + "(" + String.join(", ", values) + ")";
    }

    @SuppressWarnings("unchecked")
    private static TypeReference<Type> typeOf(String solidityType) {
        return (TypeReference<Type>) (TypeReference<?>) switch (solidityType) {
            case "address" -> new TypeReference<Address>() { };
            case "uint256" -> new TypeReference<Uint256>() { };
            case "bytes32" -> new TypeReference<Bytes32>() { };
            default -> null;
        };
    }

    private static Map<String, ErrorType> load() {
        try (InputStream artifact = new ClassPathResource("contracts/GliskNFT.json").getInputStream()) {
            Map<String, ErrorType> errors = new HashMap<>();
            for (JsonNode entry : new ObjectMapper().readTree(artifact).get("abi")) {
                if (!"error".equals(entry.path("type").asText())) {
                    continue;
                }
                List<String> inputs = new ArrayList<>();
                entry.path("inputs").forEach(input -> inputs.add(input.path("type").asText()));
                String signature = entry.get("name").asText() + "(" + String.join(",", inputs) + ")";
                errors.put(Hash.sha3String(signature).substring(0, 10), new ErrorType(entry.get("name").asText(), inputs));
            }
            return errors;
        } catch (IOException e) {
            throw new UncheckedIOException("contract artifact unreadable", e);
        }
    }
}

package io.glisk.ipfs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The token's ERC-721 / OpenSea metadata document: name, description, the image as ipfs://, and the
 * author's X and Farcaster handles as traits when they are known.
 */
@Component
public class MetadataBuilder {

    private final MetadataSettings settings;

    MetadataBuilder(MetadataSettings settings) {
        this.settings = settings;
    }

    public Map<String, Object> build(@Variable("token_id") Object tokenId, @Variable("image_cid") String imageCid,
                                     @Variable("author_wallet") String author, @Variable("x_handle") String xHandle,
                                     @Variable("farcaster_handle") String farcasterHandle) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", fill(settings.nameTemplate(), tokenId, author));
        metadata.put("description", fill(settings.descriptionTemplate(), tokenId, author));
        metadata.put("image", "ipfs://" + imageCid);
        List<Map<String, String>> attributes = new ArrayList<>();
        trait(attributes, "Author X Handle", xHandle);
        trait(attributes, "Author Farcaster Handle", farcasterHandle);
        metadata.put("attributes", attributes);
        return metadata;
    }

    private static String fill(String template, Object tokenId, String author) {
        return template.replace("{token_id}", String.valueOf(tokenId)).replace("{author}", author == null ? "" : author);
    }

    private static void trait(List<Map<String, String>> attributes, String type, String handle) {
        if (handle == null || handle.isBlank()) {
            return;
        }
        String trimmed = handle.strip();
        attributes.add(Map.of("trait_type", type, "value", trimmed.startsWith("@") ? trimmed : "@" + trimmed));
    }
}

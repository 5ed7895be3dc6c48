package io.glisk.ipfs;

import io.glisk.image.Image;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Variable;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.springframework.stereotype.Component;

/**
 * Request bodies of Pinata's v1 pinning API: CIDv1 always, and the token id and collection as key/values
 * so pins can be found in Pinata's console.
 */
@Component
public class PinataRequests {

    private static final String OPTIONS = "{\"cidVersion\":1}";

    /** pinFileToIPFS: the image under a name whose extension matches its real type. */
    public HttpEntity file(@Variable("token_id") Object tokenId, @Variable("image") Image image) {
        String name = "glisk-s0-" + tokenId + "." + image.extension();
        return MultipartEntityBuilder.create()
                .addBinaryBody("file", image.bytes(), ContentType.create(image.contentType()), name)
                .addTextBody("pinataOptions", OPTIONS, ContentType.APPLICATION_JSON)
                .addTextBody("pinataMetadata", "{\"name\":\"" + name + "\",\"keyvalues\":{\"token_id\":\"" + tokenId
                        + "\",\"collection\":\"glisk-s0\",\"kind\":\"image\"}}", ContentType.APPLICATION_JSON)
                .build();
    }

    /** pinJSONToIPFS: the metadata document as pinataContent. */
    public Map<String, Object> json(@Variable("token_id") Object tokenId, @Variable("metadata") Map<String, Object> metadata) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("pinataContent", metadata);
        request.put("pinataOptions", Map.of("cidVersion", 1));
        request.put("pinataMetadata", Map.of("name", "glisk-s0-" + tokenId + ".json",
                "keyvalues", Map.of("token_id", String.valueOf(tokenId), "collection", "glisk-s0", "kind", "metadata")));
        return request;
    }
}

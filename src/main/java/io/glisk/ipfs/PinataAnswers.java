package io.glisk.ipfs;

import com.fasterxml.jackson.databind.JsonNode;
import io.glisk.cid.ContentIds;
import io.glisk.events.PipelineEvents;
import io.glisk.image.Image;
import io.glisk.provider.ProviderAnswers;
import io.glisk.provider.TransientFailure;
import org.apache.camel.Exchange;
import org.slf4j.event.Level;
import org.springframework.stereotype.Component;

/** Reads Pinata's answer to a pin: the CID, checked to be a well-formed CIDv1, or the right failure. */
@Component
public class PinataAnswers {

    static final String PROVIDER = "Pinata";

    public String cid(Exchange exchange) {
        int status = ProviderAnswers.status(exchange);
        String body = ProviderAnswers.body(PROVIDER, exchange);
        if (status < 200 || status > 299) {
            throw ProviderAnswers.failure(PROVIDER, status, body, exchange.getMessage().getHeader("Retry-After", String.class));
        }
        JsonNode answer = ProviderAnswers.json(PROVIDER, body);
        JsonNode hash = answer.get("IpfsHash");
        if (hash == null || !hash.isTextual() || !ContentIds.isCid(hash.asText())) {
            throw new TransientFailure("Pinata answered without a valid CIDv1 IpfsHash");
        }
        return hash.asText();
    }

    /**
     * The image's CID should be the one `ipfs add --cid-version=1` gives for its bytes. A different one is
     * reported, not refused: a provider may chunk differently, and the pin is still the image.
     */
    public String imageCid(Exchange exchange) {
        Image image = exchange.getVariable("image", Image.class);
        Object tokenId = exchange.getVariable("token_id");
        String cid = cid(exchange);
        if (!ContentIds.matches(cid, image.bytes())) {
            PipelineEvents.event(Level.WARN, "ipfs.cid_mismatch").addKeyValue("token_id", tokenId)
                    .addKeyValue("pinata_cid", cid).addKeyValue("computed_cid", ContentIds.cidV1(image.bytes())).log();
        }
        return cid;
    }
}

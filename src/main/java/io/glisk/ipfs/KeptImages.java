package io.glisk.ipfs;

import io.glisk.image.Image;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/** The image the generation stage kept (its token_images row, read by the claim) as an {@link Image}. */
@Component
public class KeptImages {

    public Image of(@Variable("kept_image_bytes") byte[] bytes, @Variable("kept_image_type") String contentType) {
        return new Image(bytes, contentType);
    }
}

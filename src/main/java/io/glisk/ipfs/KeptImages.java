package io.glisk.ipfs;

import io.glisk.image.Image;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The image the generation stage kept (a token_images row) as an {@link Image}. */
@Component
public class KeptImages {

    public Image of(Map<String, Object> row) {
        return new Image((byte[]) row.get("bytes"), (String) row.get("content_type"));
    }
}

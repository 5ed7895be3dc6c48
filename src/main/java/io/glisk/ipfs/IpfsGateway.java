package io.glisk.ipfs;

import org.springframework.stereotype.Component;

/**
 * Where a pinned CID can be opened in a browser (PINATA_GATEWAY): what the IPFS stage publishes for operators'
 * tools — the admin API's token story, the web console — so that they never read the stage's settings.
 */
@Component
public class IpfsGateway {

    private final String base;

    IpfsGateway(PinataSettings settings) {
        String gateway = settings.gateway();
        this.base = (gateway.startsWith("http://") || gateway.startsWith("https://") ? gateway : "https://" + gateway)
                .replaceAll("/+$", "");
    }

    public String url(String cid) {
        return base + "/ipfs/" + cid;
    }
}

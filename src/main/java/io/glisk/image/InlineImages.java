package io.glisk.image;

import java.util.Base64;
import java.util.Locale;

/**
 * Images that come inside an answer as a {@code data:} URI: Replicate's synchronous answers ({@code Prefer: wait})
 * carry small outputs that way instead of a link to download. Held to the same rules as a download: a size cap
 * (checked before anything is decoded) and the type decided from the bytes, never from the URI's media type.
 */
public final class InlineImages {

    private static final String SCHEME = "data:";

    private InlineImages() {
    }

    /** Whether the output is a {@code data:} URI (the image itself) rather than an address to download from. */
    public static boolean isInline(String uri) {
        return uri != null && uri.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** The image a base64 {@code data:} URI holds; anything else is rejected with what was wrong, never the data. */
    static Image decode(String uri, int maxBytes) {
        int comma = uri.indexOf(',');
        // the header is short ("data:image/webp;base64"); a long one is not a data URI we should read
        if (comma < 0 || comma > 200) {
            throw new ImageRejectedException(
                    "inline image is not a data URI (" + uri.length() + " characters, no header)");
        }
        String header = uri.substring(SCHEME.length(), comma).toLowerCase(Locale.ROOT);
        if (!header.endsWith(";base64")) {
            throw new ImageRejectedException("inline image is not base64 (data:" + printable(header) + ")");
        }
        int encoded = uri.length() - comma - 1;
        // four characters make three bytes, less up to two of padding: too long before a byte is decoded
        long most = (long) encoded * 3 / 4;
        if (most - 2 > maxBytes) {
            throw new ImageRejectedException("inline image is about " + most + " bytes, the limit is " + maxBytes);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(uri.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw new ImageRejectedException("inline image is not valid base64 (" + encoded + " characters)");
        }
        if (bytes.length > maxBytes) {
            throw new ImageRejectedException("inline image is " + bytes.length + " bytes, the limit is " + maxBytes);
        }
        String type = ImageTypes.sniff(bytes);
        if (type == null) {
            throw new ImageRejectedException("inline image is not a PNG, WebP, JPEG or GIF image ("
                    + bytes.length + " bytes starting " + ImageTypes.preview(bytes) + ")");
        }
        return new Image(bytes, type);
    }

    private static String printable(String header) {
        String shown = header.replaceAll("[^a-z0-9/+.;=-]", "?");
        return shown.length() <= 60 ? shown : shown.substring(0, 60) + "…";
    }
}

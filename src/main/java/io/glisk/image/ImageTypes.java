package io.glisk.image;

import java.util.HexFormat;

/** Content type from the first bytes of the data, never from a name or a server's claim. */
public final class ImageTypes {

    private ImageTypes() {
    }

    /** The image type of the bytes, or null if they are not a PNG, WebP, JPEG or GIF image. */
    public static String sniff(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return "image/webp";
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8') && b.length > 5 && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return "image/gif";
        }
        return null;
    }

    static String extension(String contentType) {
        return switch (contentType) {
            case "image/png" -> "png";
            case "image/webp" -> "webp";
            case "image/jpeg" -> "jpg";
            case "image/gif" -> "gif";
            default -> "bin";
        };
    }

    /** The first bytes in hex, to say what non-image data looked like. */
    static String preview(byte[] b) {
        return HexFormat.of().formatHex(b, 0, Math.min(b.length, 8));
    }

    private static boolean startsWith(byte[] b, int offset, int... expected) {
        if (b.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((b[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}

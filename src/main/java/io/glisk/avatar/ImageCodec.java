package io.glisk.avatar;

import io.glisk.image.ImageRejectedException;
import io.glisk.image.ImageTypes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads PNG and JPEG bytes into pixels and writes pixels as PNG, with the JDK's ImageIO. The size an image
 * claims in its header is checked before any pixel is decoded, so a small file that would expand into
 * gigabytes (a decompression bomb) is refused without allocating them.
 */
public final class ImageCodec {

    /** Widest or tallest image accepted; the image API answers at most 1536 px a side. */
    public static final int MAX_SIDE = 8192;
    /** Most pixels accepted: 4096 × 4096, 64 MB as 32-bit pixels. */
    public static final long MAX_PIXELS = 4096L * 4096L;

    private ImageCodec() {
    }

    /** The pixels of a PNG or JPEG image; anything else, a damaged or truncated file, or one too large is refused. */
    public static BufferedImage decode(byte[] bytes) {
        String type = bytes == null ? null : ImageTypes.sniff(bytes);
        if (!"image/png".equals(type) && !"image/jpeg".equals(type)) {
            throw new ImageRejectedException("not a PNG or JPEG image"
                    + (type == null ? "" : " (" + type + ")") + ", " + (bytes == null ? 0 : bytes.length) + " bytes");
        }
        String format = type.equals("image/png") ? "png" : "jpeg";
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
            if (!readers.hasNext()) {
                throw new IllegalStateException("this JDK has no " + format + " reader");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE
                        || (long) width * height > MAX_PIXELS) {
                    throw new ImageRejectedException(format.toUpperCase() + " image of " + width + "×" + height
                            + " pixels is larger than " + MAX_SIDE + " px a side or " + MAX_PIXELS + " pixels");
                }
                // a JPEG cut short decodes "successfully" with grey where the data ended: the reader only warns
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener(warningsInto(warnings));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new ImageRejectedException(format.toUpperCase() + " image is damaged or truncated: "
                            + warnings.get(0));
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageRejectedException rejected) {
                throw rejected;
            }
            throw new ImageRejectedException(format.toUpperCase() + " image is damaged or truncated ("
                    + bytes.length + " bytes)");
        }
    }

    /** The image as PNG bytes. */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("this JDK has no PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write PNG to memory", e);
        }
        return out.toByteArray();
    }

    /** PNG bytes as they are; a JPEG decoded and written again as PNG, so that what is stored as .png is one. */
    public static byte[] asPng(byte[] bytes) {
        BufferedImage image = decode(bytes);
        return "image/png".equals(ImageTypes.sniff(bytes)) ? bytes : png(image);
    }

    private static IIOReadWarningListener warningsInto(List<String> warnings) {
        return (source, warning) -> warnings.add(warning);
    }
}

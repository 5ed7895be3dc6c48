package io.glisk.avatar;

import io.glisk.image.ImageRejectedException;
import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;
import io.glisk.settings.ConditionalOnStage;
import org.springframework.stereotype.Component;

/**
 * Cuts the image API's 2×2 grid into its four pictures and trims the white border (gutters and margins) off
 * each. A tile is ⌊W/2⌋ × ⌊H/2⌋ pixels, taken row by row; the odd last column or row of an odd-sized grid
 * belongs to no tile.
 *
 * <p>The border is what lies outside the box of pixels that are not pure white (transparent counts as
 * white). With near-white trimming on, rows and columns at the box's edges in which at least 95 % of the
 * pixels have R, G and B of 220 or more are border too — the light grey seams and JPEG haze a model leaves —
 * but at most 50 pixels from each edge, so a pale photo is not eaten away.
 */
@Component
@ConditionalOnStage("avatar")
public class GridSplitter {

    static final int NEAR_WHITE = 220;
    static final double NEAR_WHITE_SHARE = 0.95;
    static final int MAX_NEAR_WHITE_TRIM = 50;
    /** A tile with fewer pixels than this share that are not near-white shows nothing worth keeping. */
    static final double MIN_CONTENT_SHARE = 0.005;

    private final boolean trimNearWhite;

    public GridSplitter(AvatarSettings settings) {
        this.trimNearWhite = settings.trimNearWhite();
    }

    /** The four tiles of a PNG or JPEG grid; a grid that is no usable image is refused as a whole. */
    public List<GridTile> split(byte[] grid) {
        BufferedImage image = ImageCodec.decode(grid);
        int width = image.getWidth() / 2;
        int height = image.getHeight() / 2;
        if (width < 1 || height < 1) {
            throw new ImageRejectedException("grid of " + image.getWidth() + "×" + image.getHeight()
                    + " pixels is too small to split into 2×2");
        }
        List<GridTile> tiles = new ArrayList<>(4);
        for (int index = 0; index < 4; index++) {
            int x = (index % 2) * width;
            int y = (index / 2) * height;
            tiles.add(trim(index, image.getSubimage(x, y, width, height)));
        }
        return tiles;
    }

    private GridTile trim(int index, BufferedImage tile) {
        int w = tile.getWidth();
        int h = tile.getHeight();
        int[] pixels = argbPixels(tile);
        int content = 0;
        int left = w;
        int right = -1;
        int top = h;
        int bottom = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = pixels[y * w + x];
                if (!nearWhite(p)) {
                    content++;
                }
                if (!white(p)) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        if (right < 0) {
            return new GridTile.Blank(index, "tile " + index + " is white all over");
        }
        if (content < MIN_CONTENT_SHARE * w * h) {
            return new GridTile.Blank(index, "tile " + index + " is nearly white all over");
        }
        if (trimNearWhite) {
            int limit;
            limit = top + MAX_NEAR_WHITE_TRIM;
            while (top < bottom && top < limit && rowIsBorder(pixels, w, top, left, right)) {
                top++;
            }
            limit = bottom - MAX_NEAR_WHITE_TRIM;
            while (bottom > top && bottom > limit && rowIsBorder(pixels, w, bottom, left, right)) {
                bottom--;
            }
            limit = left + MAX_NEAR_WHITE_TRIM;
            while (left < right && left < limit && columnIsBorder(pixels, w, left, top, bottom)) {
                left++;
            }
            limit = right - MAX_NEAR_WHITE_TRIM;
            while (right > left && right > limit && columnIsBorder(pixels, w, right, top, bottom)) {
                right--;
            }
        }
        BufferedImage trimmed = tile.getSubimage(left, top, right - left + 1, bottom - top + 1);
        return new GridTile.Trimmed(index, ImageCodec.png(trimmed), trimmed.getWidth(), trimmed.getHeight());
    }

    /**
     * The tile's pixels as ARGB, row by row: drawn into an int image by the JDK's blit loops and read from its array.
     * getRGB on a decoded PNG converts every pixel through its colour model: half of what a tile's trim cost (JFR).
     */
    private static int[] argbPixels(BufferedImage tile) {
        BufferedImage argb = new BufferedImage(tile.getWidth(), tile.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = argb.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.drawImage(tile, 0, 0, null);
        } finally {
            g.dispose();
        }
        return ((DataBufferInt) argb.getRaster().getDataBuffer()).getData();
    }

    private static boolean rowIsBorder(int[] pixels, int w, int y, int from, int to) {
        int pale = 0;
        for (int x = from; x <= to; x++) {
            if (nearWhite(pixels[y * w + x])) {
                pale++;
            }
        }
        return pale >= NEAR_WHITE_SHARE * (to - from + 1);
    }

    private static boolean columnIsBorder(int[] pixels, int w, int x, int from, int to) {
        int pale = 0;
        for (int y = from; y <= to; y++) {
            if (nearWhite(pixels[y * w + x])) {
                pale++;
            }
        }
        return pale >= NEAR_WHITE_SHARE * (to - from + 1);
    }

    private static boolean white(int argb) {
        return transparent(argb) || (argb & 0xffffff) == 0xffffff;
    }

    private static boolean nearWhite(int argb) {
        return transparent(argb) || (((argb >> 16) & 0xff) >= NEAR_WHITE && ((argb >> 8) & 0xff) >= NEAR_WHITE
                && (argb & 0xff) >= NEAR_WHITE);
    }

    /** Nearly or fully see-through pixels show the page behind them: white. */
    private static boolean transparent(int argb) {
        return (argb >>> 24) < 16;
    }
}

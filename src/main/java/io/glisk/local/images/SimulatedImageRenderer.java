package io.glisk.local.images;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Paints the pictures that the simulated image API hands out: a banded background and a few flat-coloured shapes,
 * all picked from a hash of a seed (say the prompt and the prediction id). The same seed always gives the same
 * pixels and bytes, different seeds visibly different pictures.
 *
 * <p>It rasterizes with integer arithmetic instead of Java2D, so the pixels do not depend on the JDK's
 * anti-aliasing or on a display, and it keeps to flat colours so that the lossless WebP stays small.
 */
public final class SimulatedImageRenderer {

    public static final int DEFAULT_SIZE = 256;
    public static final int MAX_SIZE = 4096;

    private static final double GOLDEN_RATIO_CONJUGATE = 0.618033988749895;

    public byte[] webp(String seed) {
        return webp(seed, DEFAULT_SIZE);
    }

    public byte[] png(String seed) {
        return png(seed, DEFAULT_SIZE);
    }

    /** A lossless WebP file, as Replicate's flux models answer by default. */
    public byte[] webp(String seed, int size) {
        // the pixels straight to the encoder: a BufferedImage in between would only copy them twice
        return WebpLosslessWriter.write(size, size, paint(seed, size));
    }

    public byte[] png(String seed, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(render(seed, size), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write PNG to memory", e);
        }
        return out.toByteArray();
    }

    /** A square, opaque picture of {@code size} pixels a side. */
    public BufferedImage render(String seed, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, size, size, paint(seed, size), 0, size);
        return image;
    }

    /** The opaque ARGB pixels of the picture, row by row. */
    private static int[] paint(String seed, int size) {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be 1.." + MAX_SIZE + ", got " + size);
        }
        Random random = new Random(hash(seed)); // java.util.Random's sequence is fixed by its spec
        int[] pixels = new int[size * size];
        float hue = random.nextFloat();
        paintBands(pixels, size, random, color(random, hue), color(random, hue + 0.5f));
        int shapes = 3 + random.nextInt(4);
        for (int i = 0; i < shapes; i++) {
            hue += (float) GOLDEN_RATIO_CONJUGATE; // spreads successive hues evenly round the wheel
            paintShape(pixels, size, random, color(random, hue));
        }
        return pixels;
    }

    private static long hash(String seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static int color(Random random, float hue) {
        float saturation = 0.45f + 0.45f * random.nextFloat();
        float brightness = 0.55f + 0.4f * random.nextFloat();
        return Color.HSBtoRGB(hue, saturation, brightness);
    }

    /** A stepped gradient from one colour to another, in horizontal, vertical or diagonal bands. */
    private static void paintBands(int[] pixels, int size, Random random, int from, int to) {
        int bands = 5 + random.nextInt(6);
        int direction = random.nextInt(3);
        int[] colors = new int[bands];
        for (int band = 0; band < bands; band++) {
            colors[band] = mix(from, to, band, bands - 1);
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int position = switch (direction) {
                    case 0 -> y;
                    case 1 -> x;
                    default -> (x + y) / 2;
                };
                int band = Math.min(bands - 1, position * bands / size);
                pixels[y * size + x] = colors[band];
            }
        }
    }

    private static int mix(int from, int to, int step, int steps) {
        int result = 0xff000000;
        for (int shift = 0; shift <= 16; shift += 8) {
            int a = (from >> shift) & 0xff;
            int b = (to >> shift) & 0xff;
            result |= (a + (b - a) * step / steps) << shift;
        }
        return result;
    }

    private static void paintShape(int[] pixels, int size, Random random, int color) {
        int cx = random.nextInt(size);
        int cy = random.nextInt(size);
        int radius = Math.max(1, size / 12 + random.nextInt(Math.max(1, size / 4)));
        switch (random.nextInt(4)) {
            case 0 -> disc(pixels, size, cx, cy, radius, 0, color);
            case 1 -> disc(pixels, size, cx, cy, radius, radius * 2 / 3, color);
            case 2 -> rectangle(pixels, size, cx - radius, cy - radius / 2, cx + radius, cy + radius / 2, color);
            default -> triangle(pixels, size, cx, cy, radius, color);
        }
    }

    /** A disc, or a ring when {@code hole} is above zero. */
    private static void disc(int[] pixels, int size, int cx, int cy, int radius, int hole, int color) {
        for (int y = Math.max(0, cy - radius); y <= Math.min(size - 1, cy + radius); y++) {
            for (int x = Math.max(0, cx - radius); x <= Math.min(size - 1, cx + radius); x++) {
                int d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                if (d2 <= radius * radius && d2 >= hole * hole) {
                    pixels[y * size + x] = color;
                }
            }
        }
    }

    private static void rectangle(int[] pixels, int size, int x0, int y0, int x1, int y1, int color) {
        for (int y = Math.max(0, y0); y <= Math.min(size - 1, y1); y++) {
            for (int x = Math.max(0, x0); x <= Math.min(size - 1, x1); x++) {
                pixels[y * size + x] = color;
            }
        }
    }

    /** An upright isosceles triangle in the square of side 2 * radius around the centre. */
    private static void triangle(int[] pixels, int size, int cx, int cy, int radius, int color) {
        int top = cy - radius;
        for (int y = Math.max(0, top); y <= Math.min(size - 1, cy + radius); y++) {
            int halfWidth = (y - top) / 2;
            rectangle(pixels, size, cx - halfWidth, y, cx + halfWidth, y, color);
        }
    }
}

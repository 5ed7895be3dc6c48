package io.glisk.local.avatar;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/**
 * Draws the simulated image API's pictures with Java2D: a cartoon face whose identity — face shape, skin, hair,
 * eyes — comes from a seed, so every picture made from the same seed shows the same person, and the pose, light,
 * clothes and background vary per picture. Grids are 2×2 such pictures on white, with white margins and
 * gutters, as the real API draws them when asked for "four photos in a grid".
 */
public final class FaceRenderer {

    private static final Color[] SKIN = {new Color(255, 224, 196), new Color(241, 194, 155), new Color(224, 172, 125),
            new Color(198, 134, 86), new Color(161, 102, 64), new Color(111, 71, 46), new Color(80, 51, 34)};
    private static final Color[] HAIR = {new Color(20, 16, 14), new Color(66, 40, 24), new Color(120, 72, 36),
            new Color(186, 140, 80), new Color(226, 196, 120), new Color(150, 60, 30), new Color(130, 130, 130)};
    private static final Color[] EYES = {new Color(70, 45, 25), new Color(40, 90, 150), new Color(60, 120, 70),
            new Color(110, 90, 60), new Color(30, 30, 30)};

    /** Who is drawn: fixed for a person. */
    private record Identity(Color skin, Color hair, Color eyes, int hairStyle, double faceWidth, double faceHeight,
                            boolean longHair) {
    }

    /** How this one picture looks: varies from picture to picture. */
    private record Pose(double dx, double dy, double tilt, double scale, float backgroundHue, Color shirt, double smile) {
    }

    /** One portrait of the person of {@code personSeed}; {@code pictureSeed} picks pose and scene. */
    public BufferedImage portrait(String personSeed, String pictureSeed, boolean woman, int width, int height) {
        Identity who = identity(personSeed, woman);
        Pose pose = pose(new Random(hash(personSeed + "/" + pictureSeed)));
        // bytes per pixel rather than ints: the same drawing, written as PNG in two thirds of the time
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, who, pose, width, height);
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * A 2×2 grid of four portraits of the person on white: each quadrant holds one photo inset by a white
     * margin (outer edges) and half a gutter (inner edges).
     */
    public BufferedImage grid(String personSeed, String gridSeed, boolean woman, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int margin = Math.max(2, width / 32);
            int halfGutter = Math.max(1, width / 64);
            int qw = width / 2;
            int qh = height / 2;
            for (int i = 0; i < 4; i++) {
                int left = (i % 2 == 0) ? margin : halfGutter;
                int right = (i % 2 == 0) ? halfGutter : margin;
                int top = (i / 2 == 0) ? margin : halfGutter;
                int bottom = (i / 2 == 0) ? halfGutter : margin;
                BufferedImage photo = portrait(personSeed, gridSeed + "#" + i, woman,
                        Math.max(1, qw - left - right), Math.max(1, qh - top - bottom));
                g.drawImage(photo, (i % 2) * qw + left, (i / 2) * qh + top, null);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static Identity identity(String seed, boolean woman) {
        Random random = new Random(hash(seed));
        return new Identity(SKIN[random.nextInt(SKIN.length)], HAIR[random.nextInt(HAIR.length)],
                EYES[random.nextInt(EYES.length)], random.nextInt(3), 0.30 + 0.06 * random.nextDouble(),
                0.40 + 0.06 * random.nextDouble(), woman ? random.nextInt(5) > 0 : random.nextInt(6) == 0);
    }

    private static Pose pose(Random random) {
        return new Pose(random.nextDouble() * 0.16 - 0.08, random.nextDouble() * 0.08 - 0.04,
                Math.toRadians(random.nextDouble() * 24 - 12), 0.85 + 0.3 * random.nextDouble(), random.nextFloat(),
                Color.getHSBColor(random.nextFloat(), 0.35f + 0.4f * random.nextFloat(), 0.35f + 0.5f * random.nextFloat()),
                0.2 + 0.8 * random.nextDouble());
    }

    private static void draw(Graphics2D g, Identity who, Pose pose, int w, int h) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        // a room or an outdoor scene, never white: the grid's white gutters must stay the only white border
        g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(pose.backgroundHue(), 0.25f, 0.85f), 0, h,
                Color.getHSBColor(pose.backgroundHue() + 0.08f, 0.35f, 0.55f)));
        g.fillRect(0, 0, w, h);
        double unit = Math.min(w, h) * pose.scale();
        double cx = w / 2.0 + pose.dx() * w;
        double cy = h * 0.45 + pose.dy() * h;
        double faceW = unit * who.faceWidth();
        double faceH = unit * who.faceHeight();

        // shoulders and shirt, below the head and untilted
        g.setColor(pose.shirt());
        g.fill(new RoundRectangle2D.Double(cx - unit * 0.45, cy + faceH * 0.55, unit * 0.9, h, unit * 0.3, unit * 0.3));
        g.setColor(who.skin().darker());
        g.fill(new RoundRectangle2D.Double(cx - faceW * 0.22, cy + faceH * 0.3, faceW * 0.44, faceH * 0.4, 10, 10));

        AffineTransform upright = g.getTransform();
        g.rotate(pose.tilt(), cx, cy);
        if (who.longHair()) {
            g.setColor(who.hair());
            g.fill(new RoundRectangle2D.Double(cx - faceW * 0.62, cy - faceH * 0.55, faceW * 1.24, faceH * 1.35,
                    faceW * 0.5, faceW * 0.5));
        }
        // ears, face
        g.setColor(who.skin());
        g.fill(new Ellipse2D.Double(cx - faceW * 0.58, cy - faceH * 0.08, faceW * 0.2, faceH * 0.24));
        g.fill(new Ellipse2D.Double(cx + faceW * 0.38, cy - faceH * 0.08, faceW * 0.2, faceH * 0.24));
        g.fill(new Ellipse2D.Double(cx - faceW / 2, cy - faceH / 2, faceW, faceH));
        // hair on top
        g.setColor(who.hair());
        switch (who.hairStyle()) {
            case 0 -> g.fill(new Arc2D.Double(cx - faceW * 0.55, cy - faceH * 0.62, faceW * 1.1, faceH * 0.75, 0, 180, Arc2D.CHORD));
            case 1 -> g.fill(new Arc2D.Double(cx - faceW * 0.52, cy - faceH * 0.58, faceW * 1.04, faceH * 0.6, 10, 160, Arc2D.PIE));
            default -> {
                g.fill(new Arc2D.Double(cx - faceW * 0.54, cy - faceH * 0.6, faceW * 1.08, faceH * 0.7, 0, 180, Arc2D.CHORD));
                g.fill(new Ellipse2D.Double(cx - faceW * 0.1, cy - faceH * 0.72, faceW * 0.5, faceH * 0.3));
            }
        }
        // eyes, brows, nose, mouth
        double eyeY = cy - faceH * 0.05;
        for (int side = -1; side <= 1; side += 2) {
            double ex = cx + side * faceW * 0.2;
            g.setColor(Color.WHITE);
            g.fill(new Ellipse2D.Double(ex - faceW * 0.09, eyeY - faceH * 0.04, faceW * 0.18, faceH * 0.08));
            g.setColor(who.eyes());
            g.fill(new Ellipse2D.Double(ex - faceW * 0.04, eyeY - faceH * 0.035, faceW * 0.08, faceH * 0.07));
            g.setColor(who.hair().darker());
            g.setStroke(new BasicStroke((float) Math.max(1, unit * 0.012)));
            g.draw(new Arc2D.Double(ex - faceW * 0.1, eyeY - faceH * 0.13, faceW * 0.2, faceH * 0.1, 20, 140, Arc2D.OPEN));
        }
        g.setColor(who.skin().darker());
        g.draw(new Arc2D.Double(cx - faceW * 0.06, cy + faceH * 0.02, faceW * 0.12, faceH * 0.14, 200, 140, Arc2D.OPEN));
        g.setColor(new Color(150, 60, 60));
        g.setStroke(new BasicStroke((float) Math.max(1, unit * 0.015)));
        double smile = faceH * 0.06 * pose.smile();
        g.draw(new Arc2D.Double(cx - faceW * 0.18, cy + faceH * 0.2 - smile, faceW * 0.36, smile * 2 + 1, 190, 160, Arc2D.OPEN));
        g.setTransform(upright);
    }

    static long hash(String seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

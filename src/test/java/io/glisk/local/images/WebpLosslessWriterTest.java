package io.glisk.local.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the encoder against the reference decoder: libwebp's {@code dwebp}, from the Debian package {@code webp}.
 * The decode tests fail rather than skip when it is missing, so a machine without it cannot pass them by accident.
 */
class WebpLosslessWriterTest {

    @TempDir
    Path dir;

    private final SimulatedImageRenderer renderer = new SimulatedImageRenderer();

    @Test
    void writesRiffAndVp8lHeaders() {
        byte[] webp = WebpLosslessWriter.write(300, 7, filled(300 * 7, 0x80112233));

        assertThat(ascii(webp, 0, 4)).isEqualTo("RIFF");
        assertThat(le32(webp, 4)).isEqualTo(webp.length - 8);
        assertThat(ascii(webp, 8, 8)).isEqualTo("WEBPVP8L");
        int chunkSize = le32(webp, 16);
        assertThat(webp.length).isEqualTo(20 + chunkSize + (chunkSize & 1));
        assertThat(webp[20] & 0xff).isEqualTo(0x2f);
        int bits = le32(webp, 21);
        assertThat(bits & 0x3fff).as("width - 1").isEqualTo(299);
        assertThat((bits >>> 14) & 0x3fff).as("height - 1").isEqualTo(6);
        assertThat((bits >>> 28) & 1).as("alpha is used").isEqualTo(1);
        assertThat(bits >>> 29).as("version").isZero();
    }

    @Test
    void clearsTheAlphaHintForOpaqueImagesAndPadsOddChunks() {
        for (int width = 1; width <= 8; width++) {
            byte[] webp = WebpLosslessWriter.write(width, 3, filled(width * 3, 0xff000000 | width * 0x010203));
            int chunkSize = le32(webp, 16);
            assertThat(webp.length).isEven().isEqualTo(20 + chunkSize + (chunkSize & 1));
            assertThat(le32(webp, 4)).isEqualTo(webp.length - 8);
            assertThat((le32(webp, 21) >>> 28) & 1).isZero();
        }
    }

    @Test
    void rejectsBadDimensions() {
        assertThatThrownBy(() -> WebpLosslessWriter.write(0, 1, new int[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebpLosslessWriter.write(16385, 1, new int[16385]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebpLosslessWriter.write(2, 2, new int[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void limitsCodeLengthsTo15BitsAndKeepsTheCodeComplete() {
        int[] fibonacci = new int[30];
        fibonacci[0] = 1;
        fibonacci[1] = 1;
        for (int i = 2; i < fibonacci.length; i++) {
            fibonacci[i] = fibonacci[i - 1] + fibonacci[i - 2];
        }

        int[] lengths = WebpLosslessWriter.codeLengths(fibonacci, 15);

        assertThat(lengths).doesNotContain(0);
        assertThat(Arrays.stream(lengths).max().orElseThrow()).isEqualTo(15);
        assertThat(kraftSum(lengths)).isEqualTo(1.0);
        assertThat(WebpLosslessWriter.codeLengths(new int[] {0, 0, 5, 0}, 7)).containsExactly(1, 0, 1, 0);
    }

    @Test
    void decodesOnePixel() throws Exception {
        assertDecodesTo(1, 1, new int[] {0xff336699});
    }

    @Test
    void decodesASingleColour() throws Exception {
        assertDecodesTo(64, 64, filled(64 * 64, 0xff2a7fd4));
    }

    @Test
    void decodesTwoColours() throws Exception {
        Random random = new Random(2);
        int[] pixels = new int[64 * 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextBoolean() ? 0xff102030 : 0x80ffeedd;
        }
        assertDecodesTo(64, 64, pixels);
        // Too short for backward references: every channel is a two-symbol code, green's symbols below 2.
        assertDecodesTo(2, 1, new int[] {0xff000000, 0xfe0101ff});
    }

    @Test
    void decodesARenderedImage() throws Exception {
        BufferedImage image = renderer.render("a lighthouse at dusk#pred-1", 256);
        int[] pixels = image.getRGB(0, 0, 256, 256, null, 0, 256);

        assertThat(decode(WebpLosslessWriter.write(image))).isEqualTo(new Decoded(256, 256, pixels));
    }

    @Test
    void decodesRandomNoiseWithAlpha() throws Exception {
        Random random = new Random(100);
        int[] pixels = new int[100 * 37];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt();
        }
        assertDecodesTo(100, 37, pixels);
    }

    @Test
    void decodesSkewedHistogramsThatNeedLengthLimiting() throws Exception {
        // Geometrically distributed green values would get codes deeper than 15 bits from plain Huffman
        // (green, because subtract-green leaves it as it is).
        Random random = new Random(7);
        int[] pixels = new int[256 * 256];
        for (int i = 0; i < pixels.length; i++) {
            int green = Integer.numberOfTrailingZeros(random.nextInt() | 1 << 30);
            pixels[i] = 0xff000000 | random.nextInt(256) << 16 | green << 8 | random.nextInt(256);
        }
        assertDecodesTo(256, 256, pixels);
    }

    @Test
    void decodesA1024Gradient() throws Exception {
        int[] pixels = new int[1024 * 1024];
        for (int y = 0; y < 1024; y++) {
            for (int x = 0; x < 1024; x++) {
                pixels[y * 1024 + x] = 0xff000000 | (x / 4) << 16 | (y / 4) << 8 | (x + y) / 8;
            }
        }
        assertDecodesTo(1024, 1024, pixels);
    }

    @Test
    void rendersDeterministicallyPerSeed() {
        byte[] first = renderer.webp("a cat#pred-1", 256);

        assertThat(renderer.webp("a cat#pred-1", 256)).isEqualTo(first);
        assertThat(renderer.webp("a cat#pred-2", 256)).isNotEqualTo(first);
        assertThat(renderer.png("a cat#pred-1", 256)).isEqualTo(renderer.png("a cat#pred-1", 256));
        assertThat(renderer.png("a cat#pred-1", 256)).isNotEqualTo(renderer.png("a cat#pred-2", 256));
    }

    @Test
    void rendersWebpAndPngWithTheirMagicBytes() {
        byte[] webp = renderer.webp("a dog");
        byte[] png = renderer.png("a dog");

        assertThat(ascii(webp, 0, 4)).isEqualTo("RIFF");
        assertThat(ascii(webp, 8, 8)).isEqualTo("WEBPVP8L");
        assertThat(webp.length).isLessThan(100_000);
        assertThat(Arrays.copyOf(png, 8)).containsExactly(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a);
        assertThat(renderer.render("a dog", 64).getWidth()).isEqualTo(64);
    }

    @Test
    void rendersTheSamePixelsInBothFormats() throws Exception {
        BufferedImage fromPng = ImageIO.read(new ByteArrayInputStream(renderer.png("a fox", 128)));
        int[] pngPixels = fromPng.getRGB(0, 0, 128, 128, null, 0, 128);

        assertThat(decode(renderer.webp("a fox", 128))).isEqualTo(new Decoded(128, 128, pngPixels));
    }

    private void assertDecodesTo(int width, int height, int[] pixels) throws Exception {
        assertThat(decode(WebpLosslessWriter.write(width, height, pixels)))
                .isEqualTo(new Decoded(width, height, pixels));
    }

    /** Pixels as dwebp decodes them, compared as a whole so a failure names the first differing pixel. */
    private record Decoded(int width, int height, int[] argb) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Decoded d && d.width == width && d.height == height && Arrays.equals(d.argb, argb);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(argb);
        }

        @Override
        public String toString() {
            return width + "x" + height + " " + Arrays.toString(Arrays.copyOf(argb, Math.min(argb.length, 16)))
                    + (argb.length > 16 ? "..." : "");
        }
    }

    private Decoded decode(byte[] webp) throws IOException, InterruptedException {
        Path in = dir.resolve("in.webp");
        Path out = dir.resolve("out.pam");
        Files.write(in, webp);
        Process process = new ProcessBuilder(dwebp(), in.toString(), "-pam", "-o", out.toString())
                .redirectErrorStream(true)
                .start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("dwebp finished").isTrue();
        assertThat(process.exitValue()).as("dwebp exit status; its output:%n%s", log).isZero();
        return readPam(Files.readAllBytes(out));
    }

    private static String dwebp() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, "dwebp");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail("dwebp is not on the PATH: install the Debian package 'webp' (apt-get install -y webp)");
    }

    /** Reads dwebp's PAM output: a text header ending in ENDHDR, then RGBA bytes. */
    private static Decoded readPam(byte[] pam) {
        String text = new String(pam, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("ENDHDR\n");
        assertThat(end).as("PAM header").isPositive();
        int width = 0;
        int height = 0;
        for (String line : text.substring(0, end).split("\n")) {
            String[] field = line.split(" ");
            switch (field[0]) {
                case "WIDTH" -> width = Integer.parseInt(field[1]);
                case "HEIGHT" -> height = Integer.parseInt(field[1]);
                case "DEPTH" -> assertThat(field[1]).isEqualTo("4");
                default -> { }
            }
        }
        int offset = end + "ENDHDR\n".length();
        assertThat(pam.length - offset).isEqualTo(width * height * 4);
        int[] argb = new int[width * height];
        for (int i = 0; i < argb.length; i++) {
            int p = offset + 4 * i;
            argb[i] = (pam[p + 3] & 0xff) << 24 | (pam[p] & 0xff) << 16 | (pam[p + 1] & 0xff) << 8 | pam[p + 2] & 0xff;
        }
        return new Decoded(width, height, argb);
    }

    private static int[] filled(int count, int argb) {
        int[] pixels = new int[count];
        Arrays.fill(pixels, argb);
        return pixels;
    }

    private static double kraftSum(int[] lengths) {
        return Arrays.stream(lengths).filter(l -> l > 0).mapToDouble(l -> Math.pow(2, -l)).sum();
    }

    private static String ascii(byte[] bytes, int from, int length) {
        return new String(bytes, from, length, StandardCharsets.US_ASCII);
    }

    private static int le32(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16
                | (bytes[at + 3] & 0xff) << 24;
    }
}

package io.glisk.avatar;

import static io.glisk.avatar.TestImages.at;
import static io.glisk.avatar.TestImages.canvas;
import static io.glisk.avatar.TestImages.close;
import static io.glisk.avatar.TestImages.fill;
import static io.glisk.avatar.TestImages.png;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glisk.image.ImageRejectedException;
import io.glisk.image.ImageTypes;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Grids drawn here (white gutters and margins round four coloured pictures) cut and trimmed as a user sees them. */
class GridSplitterTest {

    static final Color[] COLOURS = {new Color(200, 30, 30), new Color(30, 160, 60), new Color(40, 60, 200), new Color(20, 20, 20)};
    static GridSplitter strict;
    static GridSplitter nearWhite;

    @BeforeAll
    static void splitters() {
        strict = new GridSplitter(TestAvatarSettings.bind());
        nearWhite = new GridSplitter(TestAvatarSettings.bind("AVATAR_TRIM_NEAR_WHITE", "true"));
    }

    /** A white grid of {@code w} × {@code h} whose four tiles each hold a picture inset by {@code margin}. */
    static BufferedImage grid(int w, int h, int margin) {
        BufferedImage image = canvas(w, h, Color.WHITE);
        int tw = w / 2;
        int th = h / 2;
        for (int i = 0; i < 4; i++) {
            fill(image, (i % 2) * tw + margin, (i / 2) * th + margin, tw - 2 * margin, th - 2 * margin, COLOURS[i]);
        }
        return image;
    }

    static GridTile.Trimmed trimmed(GridTile tile) {
        assertThat(tile).isInstanceOf(GridTile.Trimmed.class);
        return (GridTile.Trimmed) tile;
    }

    @Test
    void fourTilesRowByRowEachCroppedToItsPictureAsRealPng() {
        List<GridTile> tiles = strict.split(png(grid(400, 300, 12)));

        assertThat(tiles).extracting(GridTile::index).containsExactly(0, 1, 2, 3);
        for (int i = 0; i < 4; i++) {
            GridTile.Trimmed tile = trimmed(tiles.get(i));
            assertThat(ImageTypes.sniff(tile.png())).isEqualTo("image/png");
            BufferedImage image = TestImages.read(tile.png());
            assertThat(image.getWidth()).isEqualTo(200 - 24).isEqualTo(tile.width());
            assertThat(image.getHeight()).isEqualTo(150 - 24).isEqualTo(tile.height());
            // no white left on any edge: every corner is the picture's colour
            for (int[] corner : new int[][] {{0, 0}, {image.getWidth() - 1, 0}, {0, image.getHeight() - 1},
                    {image.getWidth() - 1, image.getHeight() - 1}}) {
                assertThat(at(image, corner[0], corner[1])).isEqualTo(COLOURS[i]);
            }
        }
    }

    @Test
    void gridWithoutBorderGivesFullTiles() {
        List<GridTile> tiles = strict.split(png(grid(256, 256, 0)));

        assertThat(tiles).allSatisfy(t -> {
            assertThat(trimmed(t).width()).isEqualTo(128);
            assertThat(trimmed(t).height()).isEqualTo(128);
        });
    }

    @Test
    void oddSizedGridDropsTheLastColumnAndRow() {
        BufferedImage image = grid(201, 151, 0);
        // the odd column and row belong to no tile: painted, they must show up nowhere
        fill(image, 200, 0, 1, 151, Color.MAGENTA);
        fill(image, 0, 150, 201, 1, Color.MAGENTA);

        List<GridTile> tiles = strict.split(png(image));

        for (GridTile tile : tiles) {
            BufferedImage picture = TestImages.read(trimmed(tile).png());
            assertThat(picture.getWidth()).isEqualTo(100);
            assertThat(picture.getHeight()).isEqualTo(75);
            int[] pixels = picture.getRGB(0, 0, 100, 75, null, 0, 100);
            assertThat(Arrays.stream(pixels).map(p -> p & 0xffffff)).doesNotContain(Color.MAGENTA.getRGB() & 0xffffff);
        }
    }

    @Test
    void lightGreyFrameIsKeptByDefaultAndTrimmedWithNearWhite() {
        BufferedImage image = grid(400, 400, 10);
        // a 6-pixel light grey frame (R,G,B 235) inside each tile's white margin, round the picture
        for (int i = 0; i < 4; i++) {
            int x = (i % 2) * 200 + 10;
            int y = (i / 2) * 200 + 10;
            fill(image, x, y, 180, 180, new Color(235, 235, 235));
            fill(image, x + 6, y + 6, 168, 168, COLOURS[i]);
        }
        byte[] bytes = png(image);

        assertThat(strict.split(bytes)).allSatisfy(t -> assertThat(trimmed(t).width()).isEqualTo(180));
        assertThat(nearWhite.split(bytes)).allSatisfy(t -> {
            assertThat(trimmed(t).width()).isEqualTo(168);
            assertThat(trimmed(t).height()).isEqualTo(168);
        });
    }

    @Test
    void nearWhiteTrimStopsAtFiftyPixelsAndAtRowsWithContent() {
        BufferedImage image = canvas(400, 400, Color.WHITE);
        // tile 0: a pale picture, 80 px of near-white above a dark band; rows 96 % pale with a dark dot are border
        fill(image, 0, 0, 200, 200, new Color(240, 240, 240));
        fill(image, 0, 80, 200, 120, COLOURS[0]);
        for (int y = 0; y < 80; y += 10) {
            fill(image, 100, y, 4, 1, Color.BLACK); // 4 of 200 pixels dark: 98 % pale
        }
        // tile 1: a pale row with a wide dark stripe is content and stops the trim
        fill(image, 200, 0, 200, 200, new Color(240, 240, 240));
        fill(image, 200, 20, 200, 180, COLOURS[1]);
        fill(image, 200, 5, 100, 1, Color.BLACK); // half the row dark
        fill(image, 200, 200, 200, 200, COLOURS[2]);
        fill(image, 0, 200, 200, 200, COLOURS[3]);

        List<GridTile> tiles = nearWhite.split(png(image));

        BufferedImage first = TestImages.read(trimmed(tiles.get(0)).png());
        assertThat(first.getHeight()).as("at most 50 pale rows come off the top").isEqualTo(200 - 50);
        BufferedImage second = TestImages.read(trimmed(tiles.get(1)).png());
        assertThat(second.getHeight()).as("the trim stops at the row with the stripe").isEqualTo(200 - 5);
        assertThat(at(second, 0, 0)).isEqualTo(Color.BLACK);
    }

    @Test
    void whiteTileIsAFailureNamingItNotAPicture() {
        BufferedImage image = grid(300, 300, 20);
        fill(image, 0, 150, 150, 150, Color.WHITE); // tile 2 lost its picture

        List<GridTile> tiles = strict.split(png(image));

        assertThat(tiles.get(2)).isEqualTo(new GridTile.Blank(2, "tile 2 is white all over"));
        assertThat(tiles).filteredOn(t -> t instanceof GridTile.Trimmed).extracting(GridTile::index).containsExactly(0, 1, 3);
    }

    @Test
    void nearlyWhiteTileIsAFailureToo() {
        BufferedImage image = grid(300, 300, 20);
        fill(image, 150, 0, 150, 150, new Color(250, 250, 250));
        fill(image, 200, 60, 3, 3, Color.BLACK); // 9 dark pixels of 22,500

        List<GridTile> tiles = nearWhite.split(png(image));

        assertThat(tiles.get(1)).isInstanceOf(GridTile.Blank.class);
        assertThat(((GridTile.Blank) tiles.get(1)).reason()).isEqualTo("tile 1 is nearly white all over");
        assertThat(strict.split(png(image)).get(1)).isInstanceOf(GridTile.Blank.class);
    }

    @Test
    void transparentMarginsAreBorderToo() {
        BufferedImage image = new BufferedImage(200, 200, BufferedImage.TYPE_INT_ARGB);
        for (int i = 0; i < 4; i++) {
            fill(image, (i % 2) * 100 + 15, (i / 2) * 100 + 15, 70, 70, COLOURS[i]);
        }

        assertThat(strict.split(png(image))).allSatisfy(t -> assertThat(trimmed(t).width()).isEqualTo(70));
    }

    @Test
    void jpegGridIsSplitAndItsTilesComeOutAsPng() {
        byte[] jpeg = TestImages.jpeg(grid(480, 480, 16), 0.85f);
        assertThat(ImageTypes.sniff(jpeg)).isEqualTo("image/jpeg");

        List<GridTile> tiles = nearWhite.split(jpeg);

        for (GridTile tile : tiles) {
            GridTile.Trimmed t = trimmed(tile);
            assertThat(ImageTypes.sniff(t.png())).isEqualTo("image/png");
            // JPEG blurs the edges by a pixel or two: the white margin is gone all the same
            assertThat(t.width()).isBetween(240 - 32 - 2, 240 - 32 + 4);
            BufferedImage image = TestImages.read(t.png());
            assertThat(close(at(image, image.getWidth() / 2, image.getHeight() / 2), COLOURS[t.index()], 12)).isTrue();
        }
    }

    @Test
    void smallestGridsSplitAndTooSmallOnesAreRefused() {
        assertThat(strict.split(png(grid(2, 2, 0)))).allSatisfy(t -> assertThat(trimmed(t).width()).isEqualTo(1));
        assertThat(strict.split(png(grid(3, 3, 0)))).hasSize(4);
        assertThatThrownBy(() -> strict.split(png(canvas(1, 1, Color.RED))))
                .isInstanceOf(ImageRejectedException.class).hasMessageContaining("1×1").hasMessageContaining("too small");
        assertThatThrownBy(() -> strict.split(png(canvas(1, 40, Color.RED))))
                .isInstanceOf(ImageRejectedException.class).hasMessageContaining("too small");
    }

    @Test
    void thingsThatAreNotAUsableImageAreRefusedAsAWhole() {
        byte[] grid = png(grid(200, 200, 5));
        assertThatThrownBy(() -> strict.split("{\"error\":\"not an image\"}".getBytes()))
                .isInstanceOf(ImageRejectedException.class).hasMessageContaining("not a PNG or JPEG");
        assertThatThrownBy(() -> strict.split(new byte[0])).isInstanceOf(ImageRejectedException.class);
        assertThatThrownBy(() -> strict.split(null)).isInstanceOf(ImageRejectedException.class);
        assertThatThrownBy(() -> strict.split("GIF89a\u0001\u0000\u0001\u0000".getBytes()))
                .isInstanceOf(ImageRejectedException.class).hasMessageContaining("image/gif");
        assertThatThrownBy(() -> strict.split(Arrays.copyOf(grid, grid.length / 2)))
                .isInstanceOf(ImageRejectedException.class).hasMessageContaining("damaged or truncated");
        byte[] jpeg = TestImages.jpeg(grid(200, 200, 5), 0.9f);
        assertThatThrownBy(() -> strict.split(Arrays.copyOf(jpeg, jpeg.length / 2)))
                .isInstanceOf(ImageRejectedException.class).hasMessageContaining("damaged or truncated");
        // a small file claiming a huge picture is refused before its pixels are allocated
        assertThatThrownBy(() -> strict.split(TestImages.pngClaiming(50_000, 3)))
                .isInstanceOf(ImageRejectedException.class).hasMessageContaining("50000×3");
    }

    @Test
    void decompressionBombIsRefusedFromItsHeaderWithoutDecoding() {
        byte[] bomb = TestImages.pngClaiming(100_000, 100_000);
        assertThat(bomb.length).isLessThan(100);

        long start = System.nanoTime();
        assertThatThrownBy(() -> strict.split(bomb))
                .isInstanceOf(ImageRejectedException.class).hasMessageContaining("100000×100000");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        // within each side's limit, too many pixels all the same
        assertThatThrownBy(() -> strict.split(TestImages.pngClaiming(8000, 8000)))
                .isInstanceOf(ImageRejectedException.class).hasMessageContaining("8000×8000");
    }
}

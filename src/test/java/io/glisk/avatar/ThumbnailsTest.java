package io.glisk.avatar;

import static io.glisk.avatar.TestImages.at;
import static io.glisk.avatar.TestImages.canvas;
import static io.glisk.avatar.TestImages.close;
import static io.glisk.avatar.TestImages.fill;
import static org.assertj.core.api.Assertions.assertThat;

import io.glisk.image.ImageTypes;
import java.awt.Color;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ThumbnailsTest {

    final Thumbnails thumbnails = new Thumbnails();

    @Test
    void largeImageShrinksToAtMost256OnItsLongestSideKeepingItsShape() {
        BufferedImage image = canvas(1536, 1024, Color.WHITE);
        fill(image, 0, 0, 768, 1024, new Color(200, 30, 30));

        BufferedImage thumb = TestImages.read(thumbnails.thumbnail(image));

        assertThat(thumb.getWidth()).isEqualTo(256);
        assertThat(thumb.getHeight()).isEqualTo(171);
        assertThat(close(at(thumb, 60, 85), new Color(200, 30, 30), 3)).isTrue();
        assertThat(close(at(thumb, 200, 85), Color.WHITE, 3)).isTrue();
    }

    @Test
    void tallAndSmallImagesAreNeverEnlarged() {
        assertThat(TestImages.read(thumbnails.thumbnail(canvas(300, 1200, Color.BLUE))).getHeight()).isEqualTo(256);
        BufferedImage small = TestImages.read(thumbnails.thumbnail(canvas(100, 60, Color.BLUE)));
        assertThat(small.getWidth()).isEqualTo(100);
        assertThat(small.getHeight()).isEqualTo(60);
        assertThat(TestImages.read(thumbnails.thumbnail(canvas(1, 1, Color.BLUE))).getWidth()).isEqualTo(1);
    }

    @Test
    void aDecodedJpegGivesPngOut() {
        byte[] thumb = thumbnails.thumbnail(ImageCodec.decode(TestImages.jpeg(canvas(640, 480, Color.GREEN), 0.9f)));

        assertThat(ImageTypes.sniff(thumb)).isEqualTo("image/png");
        assertThat(TestImages.read(thumb).getWidth()).isEqualTo(256);
    }
}

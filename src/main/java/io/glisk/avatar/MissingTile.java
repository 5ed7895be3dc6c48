package io.glisk.avatar;

/**
 * A photo of a grid that is not stored yet: its number in the persona's set (n = grid × 4 + tile) and what the
 * cut gave — a picture, or the reason there is none.
 */
public record MissingTile(int n, int tile, GridTile cut) {

    public boolean blank() {
        return cut instanceof GridTile.Blank;
    }

    public byte[] png() {
        return cut instanceof GridTile.Trimmed trimmed ? trimmed.png() : null;
    }

    public String reason() {
        return cut instanceof GridTile.Blank blank ? blank.reason() : null;
    }
}

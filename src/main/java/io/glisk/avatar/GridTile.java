package io.glisk.avatar;

/** One of the four pictures cut out of a 2×2 grid: a trimmed image, or the reason there is none. */
public sealed interface GridTile permits GridTile.Trimmed, GridTile.Blank {

    /** 0..3, row by row: top left, top right, bottom left, bottom right. */
    int index();

    /** The tile without its white border, as PNG. */
    record Trimmed(int index, byte[] png, int width, int height) implements GridTile {
    }

    /** A tile with (almost) nothing but white in it: a failed picture, not one to upload. */
    record Blank(int index, String reason) implements GridTile {
    }
}

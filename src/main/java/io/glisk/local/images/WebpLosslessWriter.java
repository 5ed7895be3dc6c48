package io.glisk.local.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.stream.IntStream;

/**
 * A small pure-Java encoder of lossless WebP (a {@code VP8L} bitstream in a RIFF {@code WEBP} container, as in
 * RFC 9649). The JDK's ImageIO cannot write WebP, and the simulated image API must hand out real WebP files.
 *
 * <p>What it uses of the format: the subtract-green transform, greedy LZ77 backward references, and one set of
 * five canonical prefix codes (no colour cache, no meta prefix codes), each built from the symbol frequencies and
 * limited to 15 bits. That is enough to make flat-colour pictures small; photos would want the predictor and
 * colour transforms, which it leaves out.
 */
public final class WebpLosslessWriter {

    /** The largest side a VP8L header can state (14 bits of width - 1). */
    public static final int MAX_SIDE = 1 << 14;

    private static final int SIGNATURE = 0x2f;
    private static final int SUBTRACT_GREEN = 2;

    private static final int NUM_LITERALS = 256;
    private static final int NUM_LENGTH_CODES = 24;
    private static final int NUM_DISTANCE_CODES = 40;
    private static final int MAX_CODE_LENGTH = 15;
    /** Code-length code lengths are written in 3 bits. */
    private static final int MAX_CODE_LENGTH_CODE_LENGTH = 7;
    private static final int[] CODE_LENGTH_CODE_ORDER =
            {17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    /** Longest copy that the 24 length prefix codes can express. */
    private static final int MAX_MATCH = 4096;
    /** Shorter copies rarely beat a literal pixel once their length and distance symbols are paid for. */
    private static final int MIN_MATCH = 3;
    /** Distance codes top out at 2^20, and the first 120 of them are the 2D neighbourhood codes. */
    private static final int MAX_DISTANCE = (1 << 20) - 120;
    private static final int HASH_BITS = 16;
    private static final int MAX_CHAIN = 32;

    /** The neighbourhood distance codes of the two references worth special-casing: left and above. */
    private static final int CODE_LEFT = 2;
    private static final int CODE_ABOVE = 1;

    private WebpLosslessWriter() {
    }

    public static byte[] write(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        return write(width, height, image.getRGB(0, 0, width, height, null, 0, width));
    }

    /**
     * Encodes non-premultiplied ARGB pixels, row by row, into a complete {@code .webp} file.
     */
    public static byte[] write(int width, int height, int[] argb) {
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("WebP sides must be 1.." + MAX_SIDE + ", got " + width + "x" + height);
        }
        if (argb.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " pixels, got " + argb.length);
        }
        return riff(vp8l(width, height, argb));
    }

    private static byte[] vp8l(int width, int height, int[] argb) {
        BitWriter out = new BitWriter(argb.length / 4 + 64);
        out.write(SIGNATURE, 8);
        out.write(width - 1, 14);
        out.write(height - 1, 14);
        out.write(usesAlpha(argb) ? 1 : 0, 1);
        out.write(0, 3); // version

        // Subtract green first: in flat colours it turns red and blue into small, repetitive values.
        out.write(1, 1);
        out.write(SUBTRACT_GREEN, 2);
        out.write(0, 1); // no further transforms
        int[] pixels = subtractGreen(argb);

        out.write(0, 1); // no colour cache
        out.write(0, 1); // no meta prefix codes: one set of codes for the whole image

        Tokens tokens = backwardReferences(pixels, width);
        int[][] histograms = tokens.histograms();
        PrefixCode[] codes = new PrefixCode[histograms.length];
        for (int i = 0; i < histograms.length; i++) {
            codes[i] = writePrefixCode(out, histograms[i]);
        }
        tokens.writeTo(out, codes);
        return out.toByteArray();
    }

    private static boolean usesAlpha(int[] argb) {
        for (int p : argb) {
            if (p >>> 24 != 0xff) {
                return true;
            }
        }
        return false;
    }

    private static int[] subtractGreen(int[] argb) {
        int[] result = new int[argb.length];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int green = (p >> 8) & 0xff;
            int red = ((p >> 16) - green) & 0xff;
            int blue = (p - green) & 0xff;
            result[i] = (p & 0xff00ff00) | (red << 16) | blue;
        }
        return result;
    }

    private static byte[] riff(byte[] vp8l) {
        int padding = vp8l.length & 1; // RIFF chunks are padded to an even size
        ByteArrayOutputStream file = new ByteArrayOutputStream(vp8l.length + 21);
        file.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        writeLe32(file, 4 + 8 + vp8l.length + padding);
        file.writeBytes("WEBPVP8L".getBytes(StandardCharsets.US_ASCII));
        writeLe32(file, vp8l.length);
        file.writeBytes(vp8l);
        if (padding == 1) {
            file.write(0);
        }
        return file.toByteArray();
    }

    private static void writeLe32(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }

    // ---- LZ77 ----

    /**
     * Greedy LZ77 over whole pixels. Besides a hash chain it always tries the pixel to the left and the one above,
     * since runs and repeated rows are what flat pictures are made of, and both have distance codes without extra bits.
     */
    private static Tokens backwardReferences(int[] pixels, int width) {
        int n = pixels.length;
        Tokens tokens = new Tokens(n);
        int[] head = new int[1 << HASH_BITS];
        Arrays.fill(head, -1);
        int[] previous = new int[n];

        int i = 0;
        while (i < n) {
            int maxLength = Math.min(MAX_MATCH, n - i);
            int bestLength = 0;
            int bestDistance = 0;
            if (maxLength >= MIN_MATCH) {
                if (i >= 1) {
                    bestLength = matchLength(pixels, i - 1, i, maxLength);
                    bestDistance = 1;
                }
                if (i >= width) {
                    int length = matchLength(pixels, i - width, i, maxLength);
                    if (length > bestLength) {
                        bestLength = length;
                        bestDistance = width;
                    }
                }
                int candidate = head[hash(pixels, i)];
                for (int chain = 0; chain < MAX_CHAIN && candidate >= 0 && bestLength < maxLength; chain++) {
                    int distance = i - candidate;
                    if (distance > MAX_DISTANCE) {
                        break;
                    }
                    int length = matchLength(pixels, candidate, i, maxLength);
                    if (length > bestLength) {
                        bestLength = length;
                        bestDistance = distance;
                    }
                    candidate = previous[candidate];
                }
            }
            int step;
            if (bestLength >= MIN_MATCH) {
                tokens.copy(bestLength, distanceCode(bestDistance, width));
                step = bestLength;
            } else {
                tokens.literal(pixels[i]);
                step = 1;
            }
            for (int end = i + step; i < end; i++) {
                if (i + 1 < n) {
                    int h = hash(pixels, i);
                    previous[i] = head[h];
                    head[h] = i;
                }
            }
        }
        return tokens;
    }

    private static int matchLength(int[] pixels, int from, int at, int maxLength) {
        int length = 0;
        while (length < maxLength && pixels[from + length] == pixels[at + length]) {
            length++;
        }
        return length;
    }

    /** Hashes the pixel at {@code i} and the next one; callers guarantee there is a next one. */
    private static int hash(int[] pixels, int i) {
        int h = pixels[i] * 0x9E3779B1 + pixels[i + 1];
        return (h * 0x9E3779B1) >>> (32 - HASH_BITS);
    }

    private static int distanceCode(int distance, int width) {
        if (distance == 1) {
            return CODE_LEFT;
        }
        if (distance == width) {
            return CODE_ABOVE;
        }
        return distance + 120; // codes above 120 are plain linear distances
    }

    /** The prefix symbol of a length or distance code value (>= 1); the rest goes in extra bits. */
    private static int prefixSymbol(int value) {
        int v = value - 1;
        if (v < 4) {
            return v;
        }
        int highest = 31 - Integer.numberOfLeadingZeros(v);
        return 2 * highest + ((v >> (highest - 1)) & 1);
    }

    private static int extraBitCount(int prefixSymbol) {
        return prefixSymbol < 4 ? 0 : (prefixSymbol - 2) >> 1;
    }

    private static void writeWithPrefix(BitWriter out, PrefixCode code, int symbolOffset, int value) {
        int prefix = prefixSymbol(value);
        code.write(out, symbolOffset + prefix);
        int extraBits = extraBitCount(prefix);
        out.write((value - 1) & ((1 << extraBits) - 1), extraBits);
    }

    /** The LZ77 output: literal pixels and (length, distance code) copies, in order. */
    private static final class Tokens {
        private final int[] lengths; // 0 for a literal
        private final int[] values; // the ARGB literal, or the distance code of a copy
        private int count;

        Tokens(int capacity) {
            lengths = new int[capacity];
            values = new int[capacity];
        }

        void literal(int argb) {
            values[count++] = argb;
        }

        void copy(int length, int distanceCode) {
            lengths[count] = length;
            values[count++] = distanceCode;
        }

        /** Symbol frequencies in the order the codes are written: green+lengths, red, blue, alpha, distance. */
        int[][] histograms() {
            int[] green = new int[NUM_LITERALS + NUM_LENGTH_CODES];
            int[] red = new int[NUM_LITERALS];
            int[] blue = new int[NUM_LITERALS];
            int[] alpha = new int[NUM_LITERALS];
            int[] distance = new int[NUM_DISTANCE_CODES];
            for (int t = 0; t < count; t++) {
                int v = values[t];
                if (lengths[t] == 0) {
                    green[(v >> 8) & 0xff]++;
                    red[(v >> 16) & 0xff]++;
                    blue[v & 0xff]++;
                    alpha[v >>> 24]++;
                } else {
                    green[NUM_LITERALS + prefixSymbol(lengths[t])]++;
                    distance[prefixSymbol(v)]++;
                }
            }
            return new int[][] {green, red, blue, alpha, distance};
        }

        void writeTo(BitWriter out, PrefixCode[] codes) {
            for (int t = 0; t < count; t++) {
                int v = values[t];
                if (lengths[t] == 0) {
                    codes[0].write(out, (v >> 8) & 0xff);
                    codes[1].write(out, (v >> 16) & 0xff);
                    codes[2].write(out, v & 0xff);
                    codes[3].write(out, v >>> 24);
                } else {
                    writeWithPrefix(out, codes[0], NUM_LITERALS, lengths[t]);
                    writeWithPrefix(out, codes[4], 0, v);
                }
            }
        }
    }

    // ---- prefix codes ----

    /** A canonical prefix code: per symbol its length and its code, bit-reversed because VP8L packs LSB first. */
    private record PrefixCode(int[] lengths, int[] reversedCodes) {

        static PrefixCode canonical(int[] lengths) {
            int[] lengthCounts = new int[MAX_CODE_LENGTH + 1];
            for (int length : lengths) {
                lengthCounts[length]++;
            }
            lengthCounts[0] = 0;
            int[] nextCode = new int[MAX_CODE_LENGTH + 2];
            for (int length = 1, code = 0; length <= MAX_CODE_LENGTH; length++) {
                code = (code + lengthCounts[length - 1]) << 1;
                nextCode[length] = code;
            }
            int[] reversed = new int[lengths.length];
            for (int symbol = 0; symbol < lengths.length; symbol++) {
                int length = lengths[symbol];
                if (length > 0) {
                    reversed[symbol] = Integer.reverse(nextCode[length]++) >>> (32 - length);
                }
            }
            return new PrefixCode(lengths, reversed);
        }

        void write(BitWriter out, int symbol) {
            out.write(reversedCodes[symbol], lengths[symbol]);
        }
    }

    /** Writes the code for one alphabet and returns it for coding the symbols. */
    private static PrefixCode writePrefixCode(BitWriter out, int[] histogram) {
        int[] used = IntStream.range(0, histogram.length).filter(s -> histogram[s] > 0).toArray();
        if (used.length <= 2 && (used.length == 0 || used[used.length - 1] < NUM_LITERALS)) {
            return writeSimpleCode(out, histogram.length, used);
        }
        int[] lengths = codeLengths(histogram, MAX_CODE_LENGTH);
        writeNormalCode(out, lengths);
        return PrefixCode.canonical(lengths);
    }

    /**
     * The "simple code length code": one or two symbols below 256 named outright. One symbol takes no bits at all
     * per use, two take one bit each; an alphabet never used is written as the single symbol 0.
     */
    private static PrefixCode writeSimpleCode(BitWriter out, int alphabetSize, int[] used) {
        int first = used.length == 0 ? 0 : used[0];
        out.write(1, 1);
        out.write(Math.max(used.length, 1) - 1, 1);
        if (first < 2) {
            out.write(0, 1);
            out.write(first, 1);
        } else {
            out.write(1, 1);
            out.write(first, 8);
        }
        int[] lengths = new int[alphabetSize];
        if (used.length == 2) {
            out.write(used[1], 8);
            lengths[used[0]] = 1;
            lengths[used[1]] = 1;
        }
        return PrefixCode.canonical(lengths);
    }

    /** Writes code lengths run-length coded with the code-length code (symbols 0-15 plus repeats 16, 17, 18). */
    private static void writeNormalCode(BitWriter out, int[] lengths) {
        int[] symbols = new int[lengths.length];
        int[] extras = new int[lengths.length];
        int count = 0;
        for (int i = 0; i < lengths.length; ) {
            int value = lengths[i];
            int run = 1;
            while (i + run < lengths.length && lengths[i + run] == value) {
                run++;
            }
            i += run;
            if (value == 0) {
                for (; run >= 11; count++) { // 18: 11-138 zeros
                    int repeat = Math.min(run, 138);
                    symbols[count] = 18;
                    extras[count] = repeat - 11;
                    run -= repeat;
                }
                if (run >= 3) { // 17: 3-10 zeros
                    symbols[count] = 17;
                    extras[count++] = run - 3;
                    run = 0;
                }
            } else {
                symbols[count++] = value;
                run--;
                for (; run >= 3; count++) { // 16: repeat the previous length 3-6 times
                    int repeat = Math.min(run, 6);
                    symbols[count] = 16;
                    extras[count] = repeat - 3;
                    run -= repeat;
                }
            }
            for (; run > 0; run--) {
                symbols[count++] = value;
            }
        }

        int[] histogram = new int[CODE_LENGTH_CODE_ORDER.length];
        for (int t = 0; t < count; t++) {
            histogram[symbols[t]]++;
        }
        PrefixCode lengthCode = PrefixCode.canonical(codeLengths(histogram, MAX_CODE_LENGTH_CODE_LENGTH));

        out.write(0, 1); // normal code
        int written = CODE_LENGTH_CODE_ORDER.length;
        while (written > 4 && lengthCode.lengths()[CODE_LENGTH_CODE_ORDER[written - 1]] == 0) {
            written--;
        }
        out.write(written - 4, 4);
        for (int i = 0; i < written; i++) {
            out.write(lengthCode.lengths()[CODE_LENGTH_CODE_ORDER[i]], 3);
        }
        out.write(0, 1); // lengths follow for the whole alphabet, no max_symbol
        for (int t = 0; t < count; t++) {
            lengthCode.write(out, symbols[t]);
            switch (symbols[t]) {
                case 16 -> out.write(extras[t], 2);
                case 17 -> out.write(extras[t], 3);
                case 18 -> out.write(extras[t], 7);
                default -> { }
            }
        }
    }

    /**
     * Huffman code lengths for the histogram, none longer than {@code maxLength}. Too-deep trees are rebuilt with
     * rare symbols' counts raised to a floor that doubles each time, which flattens the tree and keeps it complete.
     * Fewer than two used symbols get a second one, because decoders take a lone symbol of a normal code to cost
     * zero bits, and the encoder would have to agree.
     */
    static int[] codeLengths(int[] histogram, int maxLength) {
        int[] counts = histogram.clone();
        int used = (int) Arrays.stream(counts).filter(c -> c > 0).count();
        for (int s = 0; used < 2 && s < counts.length; s++) {
            if (counts[s] == 0) {
                counts[s] = 1;
                used++;
            }
        }
        for (int floor = 1; ; floor *= 2) {
            int[] lengths = huffmanDepths(counts, floor);
            if (Arrays.stream(lengths).max().orElse(0) <= maxLength) {
                return lengths;
            }
        }
    }

    private static int[] huffmanDepths(int[] counts, int floor) {
        int symbols = counts.length;
        int[] parent = new int[2 * symbols];
        // Queue entries are weight << 20 | node, so ties break on node index and the result is deterministic.
        PriorityQueue<Long> queue = new PriorityQueue<>();
        for (int s = 0; s < symbols; s++) {
            if (counts[s] > 0) {
                queue.add((long) Math.max(counts[s], floor) << 20 | s);
            }
        }
        int nextNode = symbols;
        while (queue.size() > 1) {
            long a = queue.poll();
            long b = queue.poll();
            int node = nextNode++;
            parent[(int) (a & 0xfffff)] = node;
            parent[(int) (b & 0xfffff)] = node;
            queue.add(((a >>> 20) + (b >>> 20)) << 20 | node);
        }
        int root = nextNode - 1;
        int[] depths = new int[symbols];
        for (int s = 0; s < symbols; s++) {
            if (counts[s] > 0) {
                int depth = 0;
                for (int node = s; node != root; node = parent[node]) {
                    depth++;
                }
                depths[s] = depth;
            }
        }
        return depths;
    }

    /** Packs bits least-significant first, as VP8L reads them. */
    private static final class BitWriter {
        private byte[] bytes;
        private int size;
        private long pending;
        private int pendingBits;

        BitWriter(int initialCapacity) {
            bytes = new byte[Math.max(initialCapacity, 16)];
        }

        void write(int value, int bitCount) {
            pending |= (value & ((1L << bitCount) - 1)) << pendingBits;
            pendingBits += bitCount;
            while (pendingBits >= 8) {
                if (size == bytes.length) {
                    bytes = Arrays.copyOf(bytes, size * 2);
                }
                bytes[size++] = (byte) pending;
                pending >>>= 8;
                pendingBits -= 8;
            }
        }

        byte[] toByteArray() {
            if (pendingBits > 0) {
                write(0, 8 - pendingBits);
            }
            return Arrays.copyOf(bytes, size);
        }
    }
}

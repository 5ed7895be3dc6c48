package io.glisk.cid;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * IPFS content identifiers computed locally, exactly as {@code ipfs add --cid-version=1} (kubo's defaults) computes
 * them, and as Pinata returns them for {@code pinataOptions={"cidVersion":1}}:
 * <ul>
 *   <li>sha2-256 multihashes; CIDv1 written as multibase base32 lower case ({@code b} prefix);</li>
 *   <li>content of at most {@value #CHUNK_SIZE} bytes (the empty content included) is a single {@code raw} block
 *       (codec 0x55, {@code bafkrei…});</li>
 *   <li>larger content is a UnixFS file DAG: fixed-size chunks of {@value #CHUNK_SIZE} bytes as raw leaves, joined
 *       by dag-pb nodes (codec 0x70) of at most {@value #MAX_LINKS} links in kubo's balanced layout; the root's CID
 *       is a {@code bafybei…}.</li>
 * </ul>
 * Nothing is stored: only the block hashes are computed, and the streaming variants keep one chunk plus a few
 * dozen bytes per pending link in memory.
 */
public final class ContentIds {

    /** Kubo's default fixed-size chunker ({@code size-262144}). */
    public static final int CHUNK_SIZE = 262_144;
    /** Kubo's default maximum number of links of a balanced-layout node. */
    public static final int MAX_LINKS = 174;

    static final int CODEC_RAW = 0x55;
    static final int CODEC_DAG_PB = 0x70;
    static final int MULTIHASH_SHA2_256 = 0x12;
    static final int SHA2_256_LENGTH = 32;
    private static final int CID_V1 = 1;
    private static final char MULTIBASE_BASE32 = 'b';
    /** version, codec, multihash code and digest length are single-byte varints for both codecs used here. */
    private static final int BINARY_CID_LENGTH = 4 + SHA2_256_LENGTH;
    private static final int UNIXFS_TYPE_FILE = 2;

    private ContentIds() {
    }

    /** The CIDv1 of {@code data} as added to IPFS as a file. */
    public static String cidV1(byte[] data) {
        return root(data).cid();
    }

    /** The CIDv1 of everything left in {@code in}, read to its end; the stream is not closed. */
    public static String cidV1(InputStream in) throws IOException {
        return root(in).cid();
    }

    /** The CIDv1 of the file at {@code file}. */
    public static String cidV1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return cidV1(in);
        }
    }

    /**
     * The root of a file's DAG: its CID and its cumulative size, the bytes of all its blocks (what kubo reports as
     * CumulativeSize and a parent link would carry as Tsize).
     */
    record Root(String cid, long dagSize) {
    }

    static Root root(byte[] data) {
        DagBuilder dag = new DagBuilder();
        if (data.length == 0) {
            dag.addLeaf(data, 0, 0);
        }
        for (int offset = 0; offset < data.length; offset += CHUNK_SIZE) {
            dag.addLeaf(data, offset, Math.min(CHUNK_SIZE, data.length - offset));
        }
        return dag.finish();
    }

    static Root root(InputStream in) throws IOException {
        DagBuilder dag = new DagBuilder();
        byte[] chunk = new byte[CHUNK_SIZE];
        boolean first = true;
        while (true) {
            int length = in.readNBytes(chunk, 0, CHUNK_SIZE);
            if (length > 0 || first) {
                dag.addLeaf(chunk, 0, length);
            }
            first = false;
            if (length < CHUNK_SIZE) {
                break;
            }
        }
        return dag.finish();
    }

    /**
     * Whether {@code cid} is the CIDv1 of {@code data} as computed by {@link #cidV1(byte[])}: the integrity check of
     * a CID a pinning service returned for bytes we sent it. A {@code null} or malformed CID never matches.
     */
    public static boolean matches(String cid, byte[] data) {
        return cid != null && isCid(cid) && cidV1(data).equals(cid);
    }

    /**
     * Whether {@code text} is a well-formed CID of the kind {@link #cidV1} produces and pinning services return for
     * CID version 1: multibase base32 lower case ({@code b} prefix, canonical, unpadded), CID version 1, codec
     * {@code raw} (0x55) or {@code dag-pb} (0x70), and a sha2-256 multihash with a 32-byte digest, nothing after it.
     * Such strings always start with {@code bafkrei} or {@code bafybei} and are 59 characters long. CIDv0
     * ({@code Qm…}), other bases, other codecs and other hash functions are rejected. This checks the form only,
     * not that the CID belongs to some content (see {@link #matches}).
     */
    public static boolean isCid(String text) {
        if (text == null || text.length() < 2 || text.charAt(0) != MULTIBASE_BASE32) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = Base32.decode(text.substring(1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        // every varint here is below 0x80, so it is one byte; a continuation bit means an unsupported value
        return bytes.length == BINARY_CID_LENGTH
                && bytes[0] == CID_V1
                && (bytes[1] == CODEC_RAW || bytes[1] == CODEC_DAG_PB)
                && bytes[2] == MULTIHASH_SHA2_256
                && bytes[3] == SHA2_256_LENGTH;
    }

    static String toText(byte[] binaryCid) {
        return MULTIBASE_BASE32 + Base32.encode(binaryCid);
    }

    static byte[] binaryCid(int codec, byte[] sha256) {
        byte[] cid = new byte[BINARY_CID_LENGTH];
        cid[0] = CID_V1;
        cid[1] = (byte) codec;
        cid[2] = MULTIHASH_SHA2_256;
        cid[3] = SHA2_256_LENGTH;
        System.arraycopy(sha256, 0, cid, 4, SHA2_256_LENGTH);
        return cid;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * A child of a file node: its binary CID, its cumulative size (the bytes of all blocks under it, its own
     * included, which is the link's Tsize) and the number of file bytes under it (its entry in blocksizes).
     */
    private record Link(byte[] cid, long cumulativeSize, long fileSize) {
    }

    /**
     * Kubo's balanced layout (boxo {@code importer/balanced}), built streaming: leaves are grouped by
     * {@value #MAX_LINKS} into nodes, those nodes by {@value #MAX_LINKS} into nodes one level up, and so on until a
     * level holds a single entry, which is the root. A level holding more than one entry has its last, partial
     * group made into a node too, even of a single child; only a file of a single leaf is that leaf itself.
     */
    private static final class DagBuilder {

        private final MessageDigest digest = newSha256();
        /** Pending (not yet grouped) entries per level; level 0 holds leaves. */
        private final List<List<Link>> pending = new ArrayList<>();
        /** How many entries each level has had in all. */
        private final List<Long> produced = new ArrayList<>();

        void addLeaf(byte[] chunk, int offset, int length) {
            digest.update(chunk, offset, length);
            add(0, new Link(binaryCid(CODEC_RAW, digest.digest()), length, length));
        }

        private void add(int level, Link link) {
            if (pending.size() == level) {
                pending.add(new ArrayList<>(MAX_LINKS));
                produced.add(0L);
            }
            List<Link> links = pending.get(level);
            links.add(link);
            produced.set(level, produced.get(level) + 1);
            if (links.size() == MAX_LINKS) {
                Link node = node(links);
                links.clear();
                add(level + 1, node);
            }
        }

        Root finish() {
            if (pending.isEmpty()) {
                throw new IllegalStateException("no leaf added");
            }
            for (int level = 0; ; level++) {
                List<Link> links = pending.get(level);
                if (produced.get(level) == 1) {
                    Link root = links.get(0);
                    return new Root(toText(root.cid()), root.cumulativeSize());
                }
                if (!links.isEmpty()) {
                    Link node = node(links);
                    links.clear();
                    add(level + 1, node);
                }
            }
        }

        /**
         * Serializes a dag-pb node over {@code links} in canonical form: PBNode.Links (field 2) first, then
         * PBNode.Data (field 1) holding UnixFS Data {Type = File, filesize, blocksizes...}. Each PBLink is
         * {Hash = 1, Name = 2 (always present, empty), Tsize = 3}.
         */
        private Link node(List<Link> links) {
            long fileSize = 0;
            long cumulativeSize = 0;
            ProtoWriter unixFs = new ProtoWriter(16 + 5 * links.size()).uint64Field(1, UNIXFS_TYPE_FILE);
            for (Link link : links) {
                fileSize += link.fileSize();
            }
            unixFs.uint64Field(3, fileSize);
            for (Link link : links) {
                unixFs.uint64Field(4, link.fileSize());
            }
            ProtoWriter node = new ProtoWriter(64 + 50 * links.size());
            for (Link link : links) {
                byte[] pbLink = new ProtoWriter(BINARY_CID_LENGTH + 16)
                        .bytesField(1, link.cid())
                        .bytesField(2, new byte[0])
                        .uint64Field(3, link.cumulativeSize())
                        .toByteArray();
                node.bytesField(2, pbLink);
                cumulativeSize += link.cumulativeSize();
            }
            node.bytesField(1, unixFs.toByteArray());
            byte[] block = node.toByteArray();
            digest.update(block);
            return new Link(binaryCid(CODEC_DAG_PB, digest.digest()), cumulativeSize + block.length, fileSize);
        }
    }
}

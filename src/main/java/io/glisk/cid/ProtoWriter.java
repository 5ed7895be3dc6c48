package io.glisk.cid;

import java.io.ByteArrayOutputStream;

/** The little of protobuf wire format that dag-pb and UnixFS nodes need: varints and length-delimited fields. */
final class ProtoWriter {

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out;

    ProtoWriter() {
        this(64);
    }

    ProtoWriter(int initialCapacity) {
        out = new ByteArrayOutputStream(initialCapacity);
    }

    /** Writes {@code value} as an unsigned LEB128 varint. */
    ProtoWriter varint(long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return this;
    }

    ProtoWriter uint64Field(int field, long value) {
        return varint(((long) field << 3) | WIRE_VARINT).varint(value);
    }

    ProtoWriter bytesField(int field, byte[] value) {
        varint(((long) field << 3) | WIRE_LENGTH_DELIMITED).varint(value.length);
        out.writeBytes(value);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}

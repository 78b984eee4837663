package io.k4j.apiserver.protobuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the protocol buffers wire format from a byte range: tags, varints, fixed-width numbers and length-delimited
 * fields (strings, bytes, nested messages). Nested messages are read as sub-readers over the same array, without
 * copying. Truncated or otherwise malformed input throws {@link ProtobufException}.
 */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buffer;
    private final int limit;
    private int position;

    ProtoReader(byte[] buffer) {
        this(buffer, 0, buffer.length);
    }

    ProtoReader(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new ProtobufException("field runs past the end of the data");
        }
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
    }

    boolean atEnd() {
        return position >= limit;
    }

    /** The next tag: field number in the high bits, wire type in the low three. */
    int readTag() {
        long tag = readVarint();
        int field = (int) (tag >>> 3);
        if (tag > 0xFFFF_FFFFL || field <= 0) {
            throw new ProtobufException("invalid field tag " + tag);
        }
        return (int) tag;
    }

    static int fieldNumber(int tag) {
        return tag >>> 3;
    }

    static int wireType(int tag) {
        return tag & 7;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                throw new ProtobufException("truncated varint");
            }
            byte b = buffer[position++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new ProtobufException("varint longer than ten bytes");
    }

    long readFixed64() {
        require(8);
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (buffer[position + i] & 0xFFL);
        }
        position += 8;
        return value;
    }

    int readFixed32() {
        require(4);
        int value = 0;
        for (int i = 3; i >= 0; i--) {
            value = (value << 8) | (buffer[position + i] & 0xFF);
        }
        position += 4;
        return value;
    }

    /** A length-delimited field as a reader over its bytes. */
    ProtoReader readMessage() {
        int length = readLength();
        ProtoReader nested = new ProtoReader(buffer, position, length);
        position += length;
        return nested;
    }

    byte[] readBytes() {
        int length = readLength();
        byte[] bytes = Arrays.copyOfRange(buffer, position, position + length);
        position += length;
        return bytes;
    }

    String readString() {
        int length = readLength();
        String text = new String(buffer, position, length, StandardCharsets.UTF_8);
        position += length;
        return text;
    }

    /** The rest of this reader's bytes as UTF-8 text. */
    String remainingText() {
        String text = new String(buffer, position, limit - position, StandardCharsets.UTF_8);
        position = limit;
        return text;
    }

    /** Skips a field's value of the given wire type. */
    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                require(8);
                position += 8;
            }
            case LENGTH_DELIMITED -> {
                int length = readLength(); // before touching position: readLength advances it
                position += length;
            }
            case FIXED32 -> {
                require(4);
                position += 4;
            }
            default -> throw new ProtobufException("unsupported wire type " + wireType);
        }
    }

    private int readLength() {
        long length = readVarint();
        if (length < 0 || length > limit - position) {
            throw new ProtobufException("length-delimited field runs past the end of the data");
        }
        return (int) length;
    }

    private void require(int bytes) {
        if (limit - position < bytes) {
            throw new ProtobufException("truncated fixed-width field");
        }
    }
}

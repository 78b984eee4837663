package io.k4j.apiserver.protobuf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test helper: writes protobuf wire format by hand, to build messages the fixtures do not cover. */
final class ProtoWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static ProtoWriter proto() {
        return new ProtoWriter();
    }

    /** A complete Kubernetes protobuf body: the magic, then runtime.Unknown{typeMeta, raw}. */
    static byte[] body(String apiVersion, String kind, ProtoWriter raw) {
        ProtoWriter unknown = proto()
                .message(1, proto().string(1, apiVersion).string(2, kind))
                .bytes(2, raw.toByteArray())
                .string(3, "")
                .string(4, "");
        ProtoWriter body = proto();
        body.out.writeBytes(new byte[] {'k', '8', 's', 0});
        body.out.writeBytes(unknown.toByteArray());
        return body.toByteArray();
    }

    ProtoWriter varint(int field, long value) {
        tag(field, 0);
        rawVarint(value);
        return this;
    }

    /** A zero varint, as Go writes for unset non-pointer numbers. */
    ProtoWriter int64Zero(int field) {
        return varint(field, 0);
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, 2);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    /** A map entry: key = 1, value = 2. */
    ProtoWriter entry(int field, String key, String value) {
        return message(field, proto().string(1, key).string(2, value));
    }

    ProtoWriter fixed32(int field, int value) {
        tag(field, 5);
        for (int i = 0; i < 4; i++) {
            out.write(value >>> (8 * i));
        }
        return this;
    }

    ProtoWriter fixed64(int field, long value) {
        tag(field, 1);
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    /** Raw bytes, for deliberately broken input. */
    ProtoWriter raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        rawVarint(((long) field << 3) | wireType);
    }

    private void rawVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}

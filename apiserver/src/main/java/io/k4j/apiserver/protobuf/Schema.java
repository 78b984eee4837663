package io.k4j.apiserver.protobuf;

import io.k4j.apiserver.api.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A declarative description of one Kubernetes protobuf message (field number, JSON name, value kind) that decodes the
 * message into the JSON tree the same Go object would marshal to.
 *
 * <p>Built with a small fluent DSL, mirroring the upstream {@code generated.proto} files:
 * <pre>
 * static final Schema CONTAINER_PORT = message()
 *         .string(1, "name").int32(2, "hostPort").int32(3, "*containerPort").string(4, "protocol");
 * </pre>
 *
 * <p>Zero values: Go's protobuf encoder writes every non-pointer field, set or not, so a zero scalar on the wire is
 * usually a field the client never set; like {@code encoding/json}'s {@code omitempty} such zeros are dropped. A name
 * starting with {@code *} keeps them: use it for Go pointer fields (they are only on the wire when set, so an explicit
 * {@code replicas: 0} or {@code automountServiceAccountToken: false} survives) and for fields whose JSON tag has no
 * {@code omitempty}. Nested messages, maps, lists, quantities, int-or-strings and times are always kept when present,
 * and a zero {@code metav1.Time} becomes {@code null}, as in Go's JSON. Unknown fields are skipped.
 */
final class Schema {

    private enum Kind {
        STRING, INT32, INT64, BOOL, BYTES, DOUBLE, MESSAGE, QUANTITY, INT_OR_STRING, TIME, MICRO_TIME, RAW_JSON,
        /** A message whose only field is {@code repeated string items = 1} that marshals as a JSON list. */
        STRING_LIST
    }

    private enum Shape { SINGLE, REPEATED, MAP, INLINE }

    private record Field(int number, String name, Kind kind, Shape shape, Schema type, boolean keepZero) {
    }

    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Field[] fields = new Field[0];

    private Schema() {
    }

    /** An empty message description, to be filled in with the builder methods. */
    static Schema message() {
        return new Schema();
    }

    // ---- builder: one method per field kind; names starting with '*' keep zero values (see the class comment)

    Schema string(int number, String name) {
        return add(number, name, Kind.STRING, Shape.SINGLE, null);
    }

    Schema strings(int number, String name) {
        return add(number, name, Kind.STRING, Shape.REPEATED, null);
    }

    Schema int32(int number, String name) {
        return add(number, name, Kind.INT32, Shape.SINGLE, null);
    }

    Schema int32s(int number, String name) {
        return add(number, name, Kind.INT32, Shape.REPEATED, null);
    }

    Schema int64(int number, String name) {
        return add(number, name, Kind.INT64, Shape.SINGLE, null);
    }

    Schema int64s(int number, String name) {
        return add(number, name, Kind.INT64, Shape.REPEATED, null);
    }

    Schema bool(int number, String name) {
        return add(number, name, Kind.BOOL, Shape.SINGLE, null);
    }

    /** {@code bytes}: a base64 string in JSON, like Go's {@code []byte}. */
    Schema bytes(int number, String name) {
        return add(number, name, Kind.BYTES, Shape.SINGLE, null);
    }

    Schema float64(int number, String name) {
        return add(number, name, Kind.DOUBLE, Shape.SINGLE, null);
    }

    Schema object(int number, String name, Schema type) {
        return add(number, name, Kind.MESSAGE, Shape.SINGLE, type);
    }

    Schema objects(int number, String name, Schema type) {
        return add(number, name, Kind.MESSAGE, Shape.REPEATED, type);
    }

    /** An embedded Go struct ({@code json:",inline"}): its fields land in this object. */
    Schema inline(int number, Schema type) {
        return add(number, "", Kind.MESSAGE, Shape.INLINE, type);
    }

    /** {@code resource.Quantity}: {@code {1: string}}, a string in JSON. */
    Schema quantity(int number, String name) {
        return add(number, name, Kind.QUANTITY, Shape.SINGLE, null);
    }

    /** {@code intstr.IntOrString}: {@code {1: type, 2: intVal, 3: strVal}}, a number or a string in JSON. */
    Schema intOrString(int number, String name) {
        return add(number, name, Kind.INT_OR_STRING, Shape.SINGLE, null);
    }

    /** {@code metav1.Time}: {@code {1: seconds, 2: nanos}}, an RFC 3339 string with whole seconds in JSON. */
    Schema time(int number, String name) {
        return add(number, name, Kind.TIME, Shape.SINGLE, null);
    }

    /** {@code metav1.MicroTime}: like {@link #time} with microseconds. */
    Schema microTime(int number, String name) {
        return add(number, name, Kind.MICRO_TIME, Shape.SINGLE, null);
    }

    /** {@code runtime.RawExtension} or {@code metav1.FieldsV1}: {@code {1: raw JSON bytes}}, embedded as JSON. */
    Schema rawJson(int number, String name) {
        return add(number, name, Kind.RAW_JSON, Shape.SINGLE, null);
    }

    Schema stringMap(int number, String name) {
        return add(number, name, Kind.STRING, Shape.MAP, null);
    }

    Schema bytesMap(int number, String name) {
        return add(number, name, Kind.BYTES, Shape.MAP, null);
    }

    Schema quantityMap(int number, String name) {
        return add(number, name, Kind.QUANTITY, Shape.MAP, null);
    }

    Schema timeMap(int number, String name) {
        return add(number, name, Kind.TIME, Shape.MAP, null);
    }

    Schema objectMap(int number, String name, Schema type) {
        return add(number, name, Kind.MESSAGE, Shape.MAP, type);
    }

    /** {@code map<string, ExtraValue>}: each value a message of repeated strings, a JSON list. */
    Schema stringListMap(int number, String name) {
        return add(number, name, Kind.STRING_LIST, Shape.MAP, null);
    }

    private Schema add(int number, String name, Kind kind, Shape shape, Schema type) {
        boolean keepZero = name.startsWith("*");
        String jsonName = keepZero ? name.substring(1) : name;
        if (number <= 0) {
            throw new IllegalArgumentException("field number must be positive: " + number);
        }
        if ((kind == Kind.MESSAGE) != (type != null)) {
            throw new IllegalArgumentException("message fields, and only they, need a schema: " + jsonName);
        }
        if (number >= fields.length) {
            fields = Arrays.copyOf(fields, number + 1);
        }
        if (fields[number] != null) {
            throw new IllegalArgumentException("field " + number + " is declared twice: " + fields[number].name
                    + " and " + jsonName);
        }
        fields[number] = new Field(number, jsonName, kind, shape, type, keepZero);
        return this;
    }

    // ---- decoding

    ObjectNode decode(ProtoReader reader) {
        ObjectNode object = Json.object();
        decodeInto(reader, object);
        return object;
    }

    void decodeInto(ProtoReader reader, ObjectNode object) {
        while (!reader.atEnd()) {
            int tag = reader.readTag();
            int number = ProtoReader.fieldNumber(tag);
            int wireType = ProtoReader.wireType(tag);
            Field field = number < fields.length ? fields[number] : null;
            if (field == null) {
                reader.skip(wireType);
                continue;
            }
            switch (field.shape) {
                case SINGLE -> single(field, reader, wireType, object);
                case REPEATED -> repeated(field, reader, wireType, object);
                case MAP -> mapEntry(field, reader, wireType, object);
                case INLINE -> field.type.decodeInto(message(field, reader, wireType), object);
            }
        }
    }

    private static void single(Field field, ProtoReader reader, int wireType, ObjectNode object) {
        if (field.kind == Kind.MESSAGE) {
            // A message field seen twice merges, as protobuf specifies.
            ObjectNode target = object.get(field.name) instanceof ObjectNode existing ? existing : Json.object();
            field.type.decodeInto(message(field, reader, wireType), target);
            object.set(field.name, target);
            return;
        }
        JsonNode value = value(field, field.kind, reader, wireType);
        if (field.keepZero || !isZero(value)) {
            object.set(field.name, value);
        } else {
            object.remove(field.name);
        }
    }

    private static void repeated(Field field, ProtoReader reader, int wireType, ObjectNode object) {
        ArrayNode list = object.get(field.name) instanceof ArrayNode existing ? existing : object.putArray(field.name);
        boolean numeric = field.kind == Kind.INT32 || field.kind == Kind.INT64;
        if (numeric && wireType == ProtoReader.LENGTH_DELIMITED) {
            ProtoReader packed = reader.readMessage();
            while (!packed.atEnd()) {
                list.add(value(field, field.kind, packed, ProtoReader.VARINT));
            }
        } else if (field.kind == Kind.MESSAGE) {
            list.add(field.type.decode(message(field, reader, wireType)));
        } else {
            list.add(value(field, field.kind, reader, wireType));
        }
    }

    private static void mapEntry(Field field, ProtoReader reader, int wireType, ObjectNode object) {
        ProtoReader entry = message(field, reader, wireType);
        String key = "";
        JsonNode value = null;
        while (!entry.atEnd()) {
            int tag = entry.readTag();
            int entryWire = ProtoReader.wireType(tag);
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> {
                    expect(field, entryWire, ProtoReader.LENGTH_DELIMITED);
                    key = entry.readString();
                }
                case 2 -> value = field.kind == Kind.MESSAGE
                        ? field.type.decode(message(field, entry, entryWire))
                        : value(field, field.kind, entry, entryWire);
                default -> entry.skip(entryWire);
            }
        }
        if (value == null) {
            value = switch (field.kind) {
                case MESSAGE -> Json.object();
                case STRING_LIST -> Json.array();
                case QUANTITY -> Json.NODES.stringNode("0");
                case TIME, MICRO_TIME -> Json.NODES.nullNode();
                default -> Json.NODES.stringNode("");
            };
        }
        ObjectNode map = object.get(field.name) instanceof ObjectNode existing ? existing : object.putObject(field.name);
        map.set(key, value);
    }

    private static JsonNode value(Field field, Kind kind, ProtoReader reader, int wireType) {
        return switch (kind) {
            case STRING -> {
                expect(field, wireType, ProtoReader.LENGTH_DELIMITED);
                yield Json.NODES.stringNode(reader.readString());
            }
            case BYTES -> {
                expect(field, wireType, ProtoReader.LENGTH_DELIMITED);
                yield Json.NODES.stringNode(Base64.getEncoder().encodeToString(reader.readBytes()));
            }
            case INT32 -> {
                expect(field, wireType, ProtoReader.VARINT);
                yield Json.NODES.numberNode((int) reader.readVarint());
            }
            case INT64 -> {
                expect(field, wireType, ProtoReader.VARINT);
                long number = reader.readVarint();
                // The node type JSON parsing would give, so that decoded and parsed trees compare equal.
                yield number == (int) number ? Json.NODES.numberNode((int) number) : Json.NODES.numberNode(number);
            }
            case BOOL -> {
                expect(field, wireType, ProtoReader.VARINT);
                yield Json.NODES.booleanNode(reader.readVarint() != 0);
            }
            case DOUBLE -> {
                expect(field, wireType, ProtoReader.FIXED64);
                yield Json.NODES.numberNode(Double.longBitsToDouble(reader.readFixed64()));
            }
            case QUANTITY -> quantity(message(field, reader, wireType));
            case INT_OR_STRING -> intOrString(message(field, reader, wireType));
            case TIME -> time(message(field, reader, wireType), false);
            case MICRO_TIME -> time(message(field, reader, wireType), true);
            case RAW_JSON -> rawJson(message(field, reader, wireType));
            case STRING_LIST -> stringList(message(field, reader, wireType));
            case MESSAGE -> throw new IllegalStateException("messages are decoded by their schema");
        };
    }

    private static JsonNode quantity(ProtoReader reader) {
        String text = "";
        while (!reader.atEnd()) {
            int tag = reader.readTag();
            if (ProtoReader.fieldNumber(tag) == 1 && ProtoReader.wireType(tag) == ProtoReader.LENGTH_DELIMITED) {
                text = reader.readString();
            } else {
                reader.skip(ProtoReader.wireType(tag));
            }
        }
        return Json.NODES.stringNode(text.isEmpty() ? "0" : text);
    }

    private static JsonNode intOrString(ProtoReader reader) {
        long type = 0;
        int intVal = 0;
        String strVal = "";
        while (!reader.atEnd()) {
            int tag = reader.readTag();
            int wire = ProtoReader.wireType(tag);
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> type = varint(reader, wire, "IntOrString.type");
                case 2 -> intVal = (int) varint(reader, wire, "IntOrString.intVal");
                case 3 -> {
                    if (wire != ProtoReader.LENGTH_DELIMITED) {
                        throw new ProtobufException("IntOrString.strVal has wire type " + wire);
                    }
                    strVal = reader.readString();
                }
                default -> reader.skip(wire);
            }
        }
        return type == 1 ? Json.NODES.stringNode(strVal) : Json.NODES.numberNode(intVal);
    }

    private static JsonNode time(ProtoReader reader, boolean micro) {
        if (reader.atEnd()) {
            return Json.NODES.nullNode(); // Go's zero time marshals to an empty message, and to null in JSON
        }
        long seconds = 0;
        long nanos = 0;
        while (!reader.atEnd()) {
            int tag = reader.readTag();
            int wire = ProtoReader.wireType(tag);
            switch (ProtoReader.fieldNumber(tag)) {
                case 1 -> seconds = varint(reader, wire, "Time.seconds");
                case 2 -> nanos = (int) varint(reader, wire, "Time.nanos");
                default -> reader.skip(wire);
            }
        }
        Instant instant;
        try {
            instant = Instant.ofEpochSecond(seconds, micro ? nanos : 0);
        } catch (RuntimeException e) {
            throw new ProtobufException("time out of range: " + seconds + "s");
        }
        return Json.NODES.stringNode(micro ? MICRO_TIME.format(instant) : DateTimeFormatter.ISO_INSTANT.format(instant));
    }

    private static JsonNode rawJson(ProtoReader reader) {
        byte[] raw = new byte[0];
        while (!reader.atEnd()) {
            int tag = reader.readTag();
            if (ProtoReader.fieldNumber(tag) == 1 && ProtoReader.wireType(tag) == ProtoReader.LENGTH_DELIMITED) {
                raw = reader.readBytes();
            } else {
                reader.skip(ProtoReader.wireType(tag));
            }
        }
        return raw.length == 0 ? Json.NODES.nullNode() : Json.parse(raw);
    }

    private static JsonNode stringList(ProtoReader reader) {
        ArrayNode list = Json.array();
        while (!reader.atEnd()) {
            int tag = reader.readTag();
            if (ProtoReader.fieldNumber(tag) == 1 && ProtoReader.wireType(tag) == ProtoReader.LENGTH_DELIMITED) {
                list.add(reader.readString());
            } else {
                reader.skip(ProtoReader.wireType(tag));
            }
        }
        return list;
    }

    private static long varint(ProtoReader reader, int wireType, String what) {
        if (wireType != ProtoReader.VARINT) {
            throw new ProtobufException(what + " has wire type " + wireType + ", expected a varint");
        }
        return reader.readVarint();
    }

    private static ProtoReader message(Field field, ProtoReader reader, int wireType) {
        expect(field, wireType, ProtoReader.LENGTH_DELIMITED);
        return reader.readMessage();
    }

    private static void expect(Field field, int actual, int expected) {
        if (actual != expected) {
            throw new ProtobufException("field " + field.number + " (" + (field.name.isEmpty() ? "inline" : field.name)
                    + ") has wire type " + actual + ", expected " + expected);
        }
    }

    private static boolean isZero(JsonNode value) {
        if (value.isString()) {
            return value.asString().isEmpty();
        }
        if (value.isNumber()) {
            return value.asDouble() == 0;
        }
        if (value.isBoolean()) {
            return !value.asBoolean();
        }
        return false;
    }
}

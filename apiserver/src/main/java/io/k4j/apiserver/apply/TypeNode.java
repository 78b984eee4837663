package io.k4j.apiserver.apply;

import java.util.List;
import java.util.function.Function;

/**
 * What structured merge needs to know about one node of an object's schema: a struct with declared fields, a
 * map with free keys, a list (atomic, set, or map keyed by some fields), a scalar, or untyped (deduced from the
 * value, as upstream does for unknown shapes). Struct fields resolve lazily, so recursive schemas are fine.
 */
public final class TypeNode {

    public enum Kind { STRUCT, MAP, LIST, SCALAR, UNTYPED }

    public static final TypeNode SCALAR = new TypeNode(Kind.SCALAR, false, null, null, null, null);
    public static final TypeNode UNTYPED = new TypeNode(Kind.UNTYPED, false, null, null, null, null);

    private final Kind kind;
    private final boolean atomic;
    private final Function<String, TypeNode> fields;
    private final TypeNode element;
    private final String listType;
    private final List<String> listKeys;

    private TypeNode(Kind kind, boolean atomic, Function<String, TypeNode> fields, TypeNode element, String listType,
                     List<String> listKeys) {
        this.kind = kind;
        this.atomic = atomic;
        this.fields = fields;
        this.element = element;
        this.listType = listType;
        this.listKeys = listKeys;
    }

    /** A struct: {@code fields} gives the type of a declared field, or null when the field is not declared. */
    public static TypeNode struct(Function<String, TypeNode> fields, boolean atomic) {
        return new TypeNode(Kind.STRUCT, atomic, fields, null, null, null);
    }

    public static TypeNode map(TypeNode element, boolean atomic) {
        return new TypeNode(Kind.MAP, atomic, null, element, null, null);
    }

    public static TypeNode atomicList(TypeNode element) {
        return new TypeNode(Kind.LIST, true, null, element, "atomic", List.of());
    }

    public static TypeNode setList(TypeNode element) {
        return new TypeNode(Kind.LIST, false, null, element, "set", List.of());
    }

    public static TypeNode mapList(TypeNode element, List<String> keys) {
        return new TypeNode(Kind.LIST, false, null, element, "map", List.copyOf(keys));
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the node is owned and replaced as a whole (scalars, atomic structs, maps and lists). */
    public boolean atomic() {
        return atomic || kind == Kind.SCALAR;
    }

    public String listType() {
        return listType;
    }

    public List<String> listKeys() {
        return listKeys;
    }

    public TypeNode element() {
        return element == null ? UNTYPED : element;
    }

    /** Whether {@code name} is a declared field of a struct (not a free key of a map or of an untyped object). */
    public boolean declares(String name) {
        return kind == Kind.STRUCT && fields.apply(name) != null;
    }

    /** The type of the value under key {@code name}. */
    public TypeNode field(String name) {
        return switch (kind) {
            case STRUCT -> {
                TypeNode declared = fields.apply(name);
                yield declared == null ? UNTYPED : declared;
            }
            case MAP -> element();
            default -> UNTYPED;
        };
    }
}

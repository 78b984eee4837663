package io.k4j.apiserver.storage;

/**
 * Who makes a write, for {@code metadata.managedFields}: the field manager, the subresource written through
 * ("" for the main resource), and whether the write is a server-side apply (which computed the managedFields
 * itself) rather than an update, create or patch (recorded by the storage as operation Update).
 */
public record FieldOwner(String manager, String subresource, boolean apply) {

    public static FieldOwner update(String manager, String subresource) {
        return new FieldOwner(manager, subresource == null ? "" : subresource, false);
    }

    public static FieldOwner apply(String manager, String subresource) {
        return new FieldOwner(manager, subresource == null ? "" : subresource, true);
    }
}

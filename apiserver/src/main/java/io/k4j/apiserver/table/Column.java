package io.k4j.apiserver.table;

/**
 * One column of a {@code meta.k8s.io/v1 Table}, as upstream defines it.
 *
 * @param name        the header kubectl prints, e.g. "Name", "Ready", "Age"
 * @param type        "string", "integer", "number", "boolean" or "date"
 * @param format      "name" for the name column, otherwise usually ""
 * @param description what the column shows
 * @param priority    0 for default columns, 1 for those only {@code -o wide} shows
 */
public record Column(String name, String type, String format, String description, int priority) {

    /** The "Name" column; not {@code name()}, which is the accessor of the record component. */
    public static Column nameColumn() {
        return new Column("Name", "string", "name",
                "Name must be unique within a namespace. Cannot be updated.", 0);
    }

    public static Column age() {
        return new Column("Age", "string", "",
                "CreationTimestamp is a timestamp representing the server time when this object was created.", 0);
    }
}

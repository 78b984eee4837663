package io.k4j.apiserver.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** A {@link TableConvertor} made of a column list and a function from an object to its cells. */
record Table(List<Column> columns, Row row) implements TableConvertor {

    @FunctionalInterface
    interface Row {
        List<Object> cells(ObjectNode object, Instant now);
    }

    Table {
        columns = List.copyOf(columns);
    }

    @Override
    public List<Object> cells(ObjectNode object, Instant now) {
        return row.cells(object, now);
    }

    static Table of(Row row, Column... columns) {
        return new Table(List.of(columns), row);
    }

    /** A default (priority 0) column. */
    static Column column(String name, String type, String description) {
        return new Column(name, type, "", description, 0);
    }

    static Column text(String name, String description) {
        return column(name, "string", description);
    }

    static Column integer(String name, String description) {
        return column(name, "integer", description);
    }

    /** A column only {@code -o wide} shows. */
    static Column wide(String name, String description) {
        return new Column(name, "string", "", description, 1);
    }

    static final Column NAME = Column.nameColumn();
    static final Column AGE = Column.age();
    static final Column CONTAINERS = wide("Containers", "Names of each container in the template.");
    static final Column IMAGES = wide("Images", "Images referenced by each container in the template.");

    static Column selector(String description) {
        return wide("Selector", description);
    }
}

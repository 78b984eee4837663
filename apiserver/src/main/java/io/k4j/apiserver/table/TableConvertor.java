package io.k4j.apiserver.table;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The columns {@code kubectl get} shows for one kind, and a row of cells for one object. Cells are String,
 * Long/Integer, Double or Boolean values, one per column, in column order.
 */
public interface TableConvertor {

    List<Column> columns();

    /** The cells of one object's row; {@code now} is for ages such as "5m". */
    List<Object> cells(ObjectNode object, Instant now);
}

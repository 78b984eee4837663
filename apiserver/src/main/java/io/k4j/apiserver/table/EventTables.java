package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Nodes.string;
import static io.k4j.apiserver.table.Table.NAME;
import static io.k4j.apiserver.table.Table.text;
import static io.k4j.apiserver.table.Table.wide;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Events, core/v1 and events.k8s.io/v1 alike: upstream converts both to one internal type, so one printer serves
 * them; only the field names differ (involvedObject/regarding, message/note, count/deprecatedCount...).
 */
final class EventTables {

    private EventTables() {
    }

    /** Where each printed value lives in one version of Event. */
    private record Fields(String firstTimestamp, String lastTimestamp, String count, String involvedObject,
            String message, String source, String reportingController) {
    }

    private static final List<Column> COLUMNS = List.of(
            text("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
            text("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
            text("Reason", "This should be a short, machine understandable string that gives the reason for the "
                    + "transition into the object's current status."),
            text("Object", "The object that this event is about."),
            wide("Subobject", "If referring to a piece of an object instead of an entire object, this string should "
                    + "contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]."),
            wide("Source", "The component reporting this event. Should be a short machine understandable string."),
            text("Message", "A human-readable description of the status of this operation."),
            wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is in "
                    + "TypeMeta.)"),
            wide("Count", "The number of times this event has occurred."),
            new Column("Name", "string", "name", NAME.description(), 1));

    static final TableConvertor CORE = convertor(new Fields("firstTimestamp", "lastTimestamp", "count",
            "involvedObject", "message", "source", "reportingComponent"));

    static final TableConvertor EVENTS = convertor(new Fields("deprecatedFirstTimestamp", "deprecatedLastTimestamp",
            "deprecatedCount", "regarding", "note", "deprecatedSource", "reportingController"));

    private static TableConvertor convertor(Fields fields) {
        return new Table(COLUMNS, (event, now) -> cells(event, now, fields));
    }

    private static List<Object> cells(JsonNode event, Instant now, Fields fields) {
        String firstSeen = Nodes.text(event, fields.firstTimestamp()) != null
                ? Ages.since(Nodes.text(event, fields.firstTimestamp()), now)
                : Ages.since(Nodes.text(event, "eventTime"), now);
        String lastSeen = Nodes.text(event, fields.lastTimestamp()) != null
                ? Ages.since(Nodes.text(event, fields.lastTimestamp()), now)
                : firstSeen;
        long count = Nodes.number(event, fields.count());
        JsonNode series = event.path("series");
        if (series.isObject()) {
            lastSeen = Ages.since(Nodes.text(series, "lastObservedTime"), now);
            count = Nodes.number(series, "count");
        } else if (count == 0) {
            count = 1; // singleton events have no count in events.k8s.io
        }
        JsonNode involved = event.path(fields.involvedObject());
        String kind = string(involved, "kind").toLowerCase(Locale.ROOT);
        String target = string(involved, "name").isEmpty() ? kind : kind + "/" + string(involved, "name");
        String component = firstNonEmpty(string(event, fields.source(), "component"),
                string(event, fields.reportingController()));
        String instance = firstNonEmpty(string(event, fields.source(), "host"), string(event, "reportingInstance"));
        String source = instance.isEmpty() ? component : component + ", " + instance;
        return List.of(lastSeen, string(event, "type"), string(event, "reason"), target,
                string(involved, "fieldPath"), source, string(event, fields.message()).strip(), firstSeen, count,
                Nodes.name(event));
    }

    private static String firstNonEmpty(String first, String second) {
        return first.isEmpty() ? second : first;
    }
}

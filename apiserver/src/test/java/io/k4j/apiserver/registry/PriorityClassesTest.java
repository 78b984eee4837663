package io.k4j.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.apiserver.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

class PriorityClassesTest {

    private static final ResourceStrategy STRATEGY = ResourceRegistry.withBuiltins()
            .strategy(ResourceRegistry.withBuiltins().require("scheduling.k8s.io", "v1", "priorityclasses"));
    private static final String RESERVED = "Forbidden: priority class names with 'system-' prefix are reserved for "
            + "system use only. error: ";

    private static ObjectNode obj(String json) {
        return Json.parseObject(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    /** A PriorityClass and upstream's causes (after defaulting). */
    static Stream<Arguments> priorityClasses() {
        return Stream.of(
                Arguments.of("{'metadata':{'name':'high'},'value':1000000000}", List.of()),
                Arguments.of("{'metadata':{'name':'high'},'value':-5,'preemptionPolicy':'Never'}", List.of()),
                Arguments.of("{'metadata':{'name':'too-high'},'value':1000000001}", List.of(new Cause(
                        "FieldValueForbidden", "Forbidden: maximum allowed value of a user defined priority is "
                        + "1000000000", "value"))),
                Arguments.of("{'metadata':{'name':'system-node-critical'},'value':2000001000}", List.of()),
                Arguments.of("{'metadata':{'name':'system-cluster-critical'},'value':5}", List.of(new Cause(
                        "FieldValueForbidden", RESERVED + "value of system-cluster-critical PriorityClass must be "
                        + "2000000000", "metadata.name"))),
                Arguments.of("{'metadata':{'name':'system-node-critical'},'value':2000001000,'globalDefault':true}",
                        List.of(new Cause("FieldValueForbidden", RESERVED + "globalDefault of system-node-critical "
                                + "PriorityClass must be false", "metadata.name"))),
                Arguments.of("{'metadata':{'name':'system-mine'},'value':5}", List.of(new Cause(
                        "FieldValueForbidden", RESERVED + "system-mine is not a known system priority class",
                        "metadata.name"))),
                Arguments.of("{'metadata':{'name':'odd'},'value':5,'preemptionPolicy':'Sometimes'}", List.of(
                        new Cause("FieldValueNotSupported", "Unsupported value: \"Sometimes\": supported values: "
                                + "\"Never\", \"PreemptLowerPriority\"", "preemptionPolicy"))));
    }

    @ParameterizedTest
    @MethodSource("priorityClasses")
    void validation(String json, List<Cause> causes) {
        ObjectNode priorityClass = obj(json);
        STRATEGY.prepareForCreate(priorityClass);
        assertThat(STRATEGY.validate(priorityClass)).isEqualTo(causes);
    }

    @Test
    void preemptionPolicyDefaultsToPreemptLowerPriority() {
        ObjectNode priorityClass = obj("{'metadata':{'name':'high'},'value':1}");
        STRATEGY.prepareForCreate(priorityClass);
        assertThat(priorityClass.path("preemptionPolicy").asString()).isEqualTo("PreemptLowerPriority");
    }

    @Test
    void valueAndPreemptionPolicyCannotChange() {
        ObjectNode old = obj("{'metadata':{'name':'high'},'value':1,'preemptionPolicy':'Never'}");
        ObjectNode updated = obj("{'metadata':{'name':'high'},'value':2,'preemptionPolicy':'PreemptLowerPriority',"
                + "'description':'changed'}");
        assertThat(STRATEGY.validateUpdate(updated, old)).containsExactly(
                new Cause("FieldValueForbidden", "Forbidden: may not be changed in an update.", "value"),
                new Cause("FieldValueInvalid", "Invalid value: \"PreemptLowerPriority\": field is immutable",
                        "preemptionPolicy"));
        assertThat(STRATEGY.validateUpdate(obj("{'metadata':{'name':'high'},'value':1,'preemptionPolicy':'Never',"
                + "'description':'changed'}"), old)).isEmpty();
    }

    @Test
    void theSystemClassesAreUpstreams() {
        assertThat(PriorityClasses.SYSTEM.stream().map(c -> Json.text(c.toObject())).toList()).containsExactly(
                "{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\",\"metadata\":{\"name\":"
                        + "\"system-node-critical\"},\"value\":2000001000,\"description\":\"Used for system critical "
                        + "pods that must not be moved from their current node.\",\"preemptionPolicy\":"
                        + "\"PreemptLowerPriority\"}",
                "{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\",\"metadata\":{\"name\":"
                        + "\"system-cluster-critical\"},\"value\":2000000000,\"description\":\"Used for system "
                        + "critical pods that must run in the cluster, but can be moved to another node if "
                        + "necessary.\",\"preemptionPolicy\":\"PreemptLowerPriority\"}");
    }
}

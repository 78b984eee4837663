package io.k4j.apiserver.admission;

import static io.k4j.apiserver.admission.FakeLookup.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

class PriorityAdmissionTest {

    private static final ResourceRegistry REGISTRY = ResourceRegistry.withBuiltins();
    private static final ResourceDefinition PODS = REGISTRY.require("", "v1", "pods");
    private static final ResourceDefinition CLASSES = REGISTRY.require("scheduling.k8s.io", "v1", "priorityclasses");

    private static final String HIGH = "{'metadata':{'name':'high'},'value':1000,"
            + "'preemptionPolicy':'PreemptLowerPriority'}";
    private static final String POLITE = "{'metadata':{'name':'polite'},'value':500,'preemptionPolicy':'Never'}";
    private static final String DEFAULT_LOW = "{'metadata':{'name':'low'},'value':10,'globalDefault':true,"
            + "'preemptionPolicy':'Never'}";
    private static final String DEFAULT_LOWER = "{'metadata':{'name':'lower'},'value':5,'globalDefault':true,"
            + "'preemptionPolicy':'PreemptLowerPriority'}";

    private final PriorityAdmission plugin = new PriorityAdmission();

    private static FakeLookup classes(String... json) {
        return new FakeLookup(PriorityAdmission.PRIORITY_CLASSES, json);
    }

    private static ObjectNode pod(String spec) {
        return obj("{'metadata':{'name':'web'},'spec':" + spec + "}");
    }

    /** A pod spec, the classes stored, and the spec admission makes of it. */
    static Stream<Arguments> admittedPods() {
        return Stream.of(
                Arguments.of("{'priorityClassName':'high'}", new String[] {HIGH},
                        "{'priorityClassName':'high','priority':1000,'preemptionPolicy':'PreemptLowerPriority'}"),
                Arguments.of("{'priorityClassName':'polite'}", new String[] {HIGH, POLITE},
                        "{'priorityClassName':'polite','priority':500,'preemptionPolicy':'Never'}"),
                Arguments.of("{'priorityClassName':'high','priority':1000}", new String[] {HIGH},
                        "{'priorityClassName':'high','priority':1000,'preemptionPolicy':'PreemptLowerPriority'}"),
                Arguments.of("{'priorityClassName':'polite','preemptionPolicy':'Never'}", new String[] {POLITE},
                        "{'priorityClassName':'polite','preemptionPolicy':'Never','priority':500}"),
                Arguments.of("{}", new String[] {HIGH},
                        "{'priority':0,'preemptionPolicy':'PreemptLowerPriority'}"),
                Arguments.of("{}", new String[] {HIGH, DEFAULT_LOW},
                        "{'priorityClassName':'low','priority':10,'preemptionPolicy':'Never'}"),
                Arguments.of("{}", new String[] {DEFAULT_LOW, DEFAULT_LOWER},
                        "{'priorityClassName':'lower','priority':5,'preemptionPolicy':'PreemptLowerPriority'}"),
                Arguments.of("{'priority':0}", new String[] {},
                        "{'priority':0,'preemptionPolicy':'PreemptLowerPriority'}"),
                Arguments.of("{'priorityClassName':'high'}", new String[] {HIGH, DEFAULT_LOW},
                        "{'priorityClassName':'high','priority':1000,'preemptionPolicy':'PreemptLowerPriority'}"));
    }

    @ParameterizedTest
    @MethodSource("admittedPods")
    void podsGetThePriorityOfTheirClass(String spec, String[] stored, String expected) {
        ObjectNode pod = pod(spec);
        plugin.admit(Attributes.create(PODS, "default", pod), classes(stored));
        assertThat(pod.get("spec")).isEqualTo(obj(expected));
    }

    /** A pod spec, the classes stored, and upstream's 403. */
    static Stream<Arguments> refusedPods() {
        return Stream.of(
                Arguments.of("{'priorityClassName':'missing'}", new String[] {HIGH},
                        "pods \"web\" is forbidden: no PriorityClass with name missing was found"),
                Arguments.of("{'priorityClassName':'high','priority':7}", new String[] {HIGH},
                        "pods \"web\" is forbidden: the integer value of priority (7) must not be provided in pod "
                                + "spec; priority admission controller computed 1000 from the given PriorityClass "
                                + "name"),
                Arguments.of("{'priority':3}", new String[] {},
                        "pods \"web\" is forbidden: the integer value of priority (3) must not be provided in pod "
                                + "spec; priority admission controller computed 0 from the given PriorityClass name"),
                Arguments.of("{'priorityClassName':'polite','preemptionPolicy':'PreemptLowerPriority'}",
                        new String[] {POLITE},
                        "pods \"web\" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must "
                                + "not be provided in pod spec; priority admission controller computed Never from the "
                                + "given PriorityClass name"));
    }

    @ParameterizedTest
    @MethodSource("refusedPods")
    void podsThatDisagreeWithTheirClassAreForbidden(String spec, String[] stored, String message) {
        assertThatThrownBy(() -> plugin.admit(Attributes.create(PODS, "default", pod(spec)), classes(stored)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.reason()).isEqualTo("Forbidden");
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void anUpdateKeepsWhatCreationComputed() {
        ObjectNode old = pod("{'priorityClassName':'high','priority':1000,'preemptionPolicy':'PreemptLowerPriority'}");
        ObjectNode updated = pod("{'priorityClassName':'high'}");
        plugin.admit(Attributes.update(PODS, "default", updated, old), classes());
        assertThat(updated).isEqualTo(old);
    }

    /** A PriorityClass written, whether it is a create, the classes stored, and the 403 (null for none). */
    static Stream<Arguments> priorityClassWrites() {
        String newDefault = "{'metadata':{'name':'new'},'value':1,'globalDefault':true}";
        String refusal = "priorityclasses.scheduling.k8s.io \"new\" is forbidden: PriorityClass low is already "
                + "marked as default. Only one default can exist";
        return Stream.of(
                Arguments.of(newDefault, true, new String[] {HIGH}, null),
                Arguments.of(newDefault, true, new String[] {HIGH, DEFAULT_LOW}, refusal),
                Arguments.of(newDefault, false, new String[] {DEFAULT_LOW}, refusal),
                Arguments.of(DEFAULT_LOW, false, new String[] {DEFAULT_LOW}, null),
                Arguments.of("{'metadata':{'name':'new'},'value':1}", true, new String[] {DEFAULT_LOW}, null));
    }

    @ParameterizedTest
    @MethodSource("priorityClassWrites")
    void onlyOneClassIsTheGlobalDefault(String json, boolean create, String[] stored, String refusal) {
        ObjectNode priorityClass = obj(json);
        Attributes attributes = create ? Attributes.create(CLASSES, "", priorityClass)
                : Attributes.update(CLASSES, "", priorityClass, priorityClass.deepCopy());
        if (refusal == null) {
            plugin.validate(attributes, classes(stored));
            return;
        }
        assertThatThrownBy(() -> plugin.validate(attributes, classes(stored)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo(refusal);
                });
    }

    @Test
    void handlesPodsAndPriorityClassesOnly() {
        ResourceDefinition configMaps = REGISTRY.require("", "v1", "configmaps");
        assertThat(plugin.handles(Attributes.create(PODS, "default", pod("{}")))).isTrue();
        assertThat(plugin.handles(Attributes.create(CLASSES, "", obj("{}")))).isTrue();
        assertThat(plugin.handles(Attributes.create(configMaps, "default", obj("{}")))).isFalse();
    }
}

package io.k4j.apiserver.admission;

import static io.k4j.apiserver.admission.FakeLookup.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.registry.ResourceRegistry;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

class DefaultTolerationSecondsTest {

    private static final String NOT_READY = "{'key':'node.kubernetes.io/not-ready','operator':'Exists',"
            + "'effect':'NoExecute','tolerationSeconds':300}";
    private static final String UNREACHABLE = "{'key':'node.kubernetes.io/unreachable','operator':'Exists',"
            + "'effect':'NoExecute','tolerationSeconds':300}";

    /** The tolerations a pod brings, and those it ends up with. */
    static Stream<Arguments> tolerations() {
        String ownNotReady = "{'key':'node.kubernetes.io/not-ready','operator':'Exists','effect':'NoExecute',"
                + "'tolerationSeconds':60}";
        String ownUnreachableAnyEffect = "{'key':'node.kubernetes.io/unreachable','operator':'Exists'}";
        String everything = "{'operator':'Exists'}";
        String everythingNoExecute = "{'operator':'Exists','effect':'NoExecute'}";
        String notReadyNoSchedule = "{'key':'node.kubernetes.io/not-ready','operator':'Exists',"
                + "'effect':'NoSchedule'}";
        String other = "{'key':'dedicated','operator':'Equal','value':'gpu','effect':'NoSchedule'}";
        return Stream.of(
                Arguments.of(null, "[" + NOT_READY + "," + UNREACHABLE + "]"),
                Arguments.of("[]", "[" + NOT_READY + "," + UNREACHABLE + "]"),
                Arguments.of("[" + other + "]", "[" + other + "," + NOT_READY + "," + UNREACHABLE + "]"),
                Arguments.of("[" + ownNotReady + "]", "[" + ownNotReady + "," + UNREACHABLE + "]"),
                Arguments.of("[" + ownUnreachableAnyEffect + "]",
                        "[" + ownUnreachableAnyEffect + "," + NOT_READY + "]"),
                Arguments.of("[" + everything + "]", "[" + everything + "]"),
                Arguments.of("[" + everythingNoExecute + "]", "[" + everythingNoExecute + "]"),
                Arguments.of("[" + notReadyNoSchedule + "]",
                        "[" + notReadyNoSchedule + "," + NOT_READY + "," + UNREACHABLE + "]"));
    }

    @ParameterizedTest
    @MethodSource("tolerations")
    void podsTolerateUnhealthyNodesForFiveMinutesUnlessTheySayOtherwise(String given, String expected) {
        ObjectNode pod = obj("{'metadata':{'name':'web'},'spec':{"
                + (given == null ? "" : "'tolerations':" + given) + "}}");
        new DefaultTolerationSeconds().admit(
                Attributes.create(ResourceRegistry.withBuiltins().require("", "v1", "pods"), "default", pod),
                new FakeLookup(PriorityAdmission.PRIORITY_CLASSES));
        assertThat(pod.path("spec").path("tolerations")).isEqualTo(obj("{'t':" + expected + "}").get("t"));
    }
}

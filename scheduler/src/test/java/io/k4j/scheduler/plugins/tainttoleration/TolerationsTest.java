package io.k4j.scheduler.plugins.tainttoleration;

import static io.k4j.scheduler.plugins.BasicFixtures.taint;
import static io.k4j.scheduler.plugins.BasicFixtures.toleration;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TolerationsTest {

    static Stream<Arguments> cases() {
        Taint fooBar = taint("foo", "bar", "NoSchedule");
        return Stream.of(
                Arguments.of("Equal, same key, value, effect", toleration("foo", "Equal", "bar", "NoSchedule"), fooBar, true),
                Arguments.of("empty operator means Equal", toleration("foo", null, "bar", "NoSchedule"), fooBar, true),
                Arguments.of("Equal, other value", toleration("foo", "Equal", "baz", "NoSchedule"), fooBar, false),
                Arguments.of("Equal, other key", toleration("other", "Equal", "bar", "NoSchedule"), fooBar, false),
                Arguments.of("Exists ignores the value", toleration("foo", "Exists", null, "NoSchedule"), fooBar, true),
                Arguments.of("empty effect matches every effect", toleration("foo", "Exists", null, null), fooBar, true),
                Arguments.of("other effect", toleration("foo", "Exists", null, "NoExecute"), fooBar, false),
                Arguments.of("empty key with Exists matches every taint", toleration(null, "Exists", null, null), fooBar, true),
                Arguments.of("empty key with Exists still checks the effect", toleration(null, "Exists", null, "PreferNoSchedule"),
                        fooBar, false),
                Arguments.of("unknown operator", toleration("foo", "Bogus", "bar", "NoSchedule"), fooBar, false),
                Arguments.of("Equal with empty value matches an empty taint value",
                        toleration("foo", "Equal", null, null), taint("foo", "", "NoSchedule"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tolerates(String name, Toleration toleration, Taint taint, boolean expected) {
        assertThat(Tolerations.tolerates(toleration, taint)).isEqualTo(expected);
        assertThat(Tolerations.tolerate(List.of(toleration), taint)).isEqualTo(expected);
    }

    @Test
    void findUntoleratedReturnsTheFirstSelectedUntoleratedTaint() {
        List<Taint> taints = List.of(taint("soft", "x", "PreferNoSchedule"), taint("a", "1", "NoSchedule"),
                taint("b", "2", "NoExecute"));
        assertThat(Tolerations.findUntolerated(taints, List.of(), Tolerations.DO_NOT_SCHEDULE).getKey()).isEqualTo("a");
        assertThat(Tolerations.findUntolerated(taints, List.of(toleration("a", "Exists", null, null)),
                Tolerations.DO_NOT_SCHEDULE).getKey()).isEqualTo("b");
        assertThat(Tolerations.findUntolerated(taints, List.of(toleration(null, "Exists", null, null)),
                Tolerations.DO_NOT_SCHEDULE)).isNull();
        assertThat(Tolerations.tolerate(null, taints.get(0))).isFalse();
    }
}

package io.k4j.scheduler.plugins;

import static io.k4j.scheduler.plugins.AffinityFixtures.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {

    private static LabelSelector expr(String key, String op, String... values) {
        return new LabelSelectorBuilder()
                .withMatchExpressions(new LabelSelectorRequirement(key, op, List.of(values))).build();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("nil selects nothing", null, labels("a", "1"), false),
                Arguments.of("nil selects nothing, not even no labels", null, labels(), false),
                Arguments.of("empty selects everything", new LabelSelector(), labels("a", "1"), true),
                Arguments.of("empty selects unlabeled", new LabelSelector(), labels(), true),
                Arguments.of("matchLabels hit", AffinityFixtures.selector("a", "1"), labels("a", "1", "b", "2"), true),
                Arguments.of("matchLabels wrong value", AffinityFixtures.selector("a", "1"), labels("a", "2"), false),
                Arguments.of("matchLabels all required", AffinityFixtures.selector("a", "1", "b", "2"),
                        labels("a", "1"), false),
                Arguments.of("In hit", expr("a", "In", "1", "2"), labels("a", "2"), true),
                Arguments.of("In miss", expr("a", "In", "1", "2"), labels("a", "3"), false),
                Arguments.of("In absent", expr("a", "In", "1"), labels(), false),
                Arguments.of("NotIn absent matches", expr("a", "NotIn", "1"), labels(), true),
                Arguments.of("NotIn other value", expr("a", "NotIn", "1"), labels("a", "2"), true),
                Arguments.of("NotIn listed value", expr("a", "NotIn", "1", "2"), labels("a", "2"), false),
                Arguments.of("Exists", expr("a", "Exists"), labels("a", ""), true),
                Arguments.of("Exists absent", expr("a", "Exists"), labels("b", "1"), false),
                Arguments.of("DoesNotExist", expr("a", "DoesNotExist"), labels("b", "1"), true),
                Arguments.of("DoesNotExist present", expr("a", "DoesNotExist"), labels("a", "1"), false),
                Arguments.of("labels and expressions ANDed",
                        new LabelSelectorBuilder().withMatchLabels(Map.of("a", "1"))
                                .withMatchExpressions(new LabelSelectorRequirement("b", "Exists", List.of())).build(),
                        labels("a", "1"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matches(String name, LabelSelector selector, Map<String, String> labels, boolean want) {
        assertThat(LabelSelectors.parse(selector).matches(labels)).isEqualTo(want);
        assertThat(LabelSelectors.matches(selector, labels)).isEqualTo(want);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(expr("a", "In")),
                Arguments.of(expr("a", "NotIn")),
                Arguments.of(expr("a", "Exists", "x")),
                Arguments.of(expr("a", "DoesNotExist", "x")),
                Arguments.of(expr("a", "Gt", "1")),
                Arguments.of(expr("", "Exists")));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsInvalid(LabelSelector selector) {
        assertThatThrownBy(() -> LabelSelectors.parse(selector)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyAndNothing() {
        assertThat(LabelSelectors.parse(null).isNothing()).isTrue();
        assertThat(LabelSelectors.parse(null).isEmpty()).isFalse();
        assertThat(LabelSelectors.parse(new LabelSelector()).isEmpty()).isTrue();
        assertThat(LabelSelectors.fromLabels(Map.of()).isEmpty()).isTrue();
        assertThat(LabelSelectors.fromLabels(Map.of("a", "1")).matches(Map.of("a", "1", "b", "2"))).isTrue();
    }

    @Test
    void andAddsEqualityRequirements() {
        LabelSelectors.Selector s = LabelSelectors.parse(AffinityFixtures.selector("app", "web")).and(Map.of("v", "2"));
        assertThat(s.matches(labels("app", "web", "v", "2"))).isTrue();
        assertThat(s.matches(labels("app", "web", "v", "1"))).isFalse();
        // merging into "nothing" gives a selector of just the labels, as upstream's mergeLabelSetWithSelector
        assertThat(LabelSelectors.NOTHING.and(Map.of("v", "2")).matches(labels("v", "2"))).isTrue();
        assertThat(LabelSelectors.NOTHING.and(Map.of()).isNothing()).isTrue();
    }
}

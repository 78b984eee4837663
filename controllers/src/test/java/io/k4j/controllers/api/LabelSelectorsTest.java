package io.k4j.controllers.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {

    private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "front");

    private static LabelSelector expression(String key, String operator, String... values) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(operator)
                .withValues(values).endMatchExpression().build();
    }

    @Test
    void labelsAndExpressionsAllHaveToMatch() {
        assertThat(LabelSelectors.matches(new LabelSelectorBuilder().addToMatchLabels("app", "web").build(), LABELS))
                .isTrue();
        assertThat(LabelSelectors.matches(new LabelSelectorBuilder().addToMatchLabels("app", "db").build(), LABELS))
                .isFalse();
        assertThat(LabelSelectors.matches(expression("tier", "In", "front", "back"), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(expression("tier", "NotIn", "front"), LABELS)).isFalse();
        assertThat(LabelSelectors.matches(expression("zone", "NotIn", "a"), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(expression("app", "Exists"), LABELS)).isTrue();
        assertThat(LabelSelectors.matches(expression("app", "DoesNotExist"), LABELS)).isFalse();
        assertThat(LabelSelectors.matches(expression("app", "Sideways"), LABELS)).isFalse();
    }

    @Test
    void aMissingSelectorMatchesNothingAndAnEmptyOneEverything() {
        assertThat(LabelSelectors.matches(null, LABELS)).isFalse();
        assertThat(LabelSelectors.matches(new LabelSelector(), LABELS)).isTrue();
        assertThat(LabelSelectors.isEmpty(new LabelSelector())).isTrue();
        assertThat(LabelSelectors.isEmpty(expression("app", "Exists"))).isFalse();
    }
}

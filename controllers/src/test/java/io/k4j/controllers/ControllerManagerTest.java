package io.k4j.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ControllerManagerTest {

    @Test
    void starMeansEveryKnownControllerAndMinusLeavesOneOut() {
        assertThat(ControllerManager.resolve(List.of("*"))).containsExactlyElementsOf(KnownControllers.all().keySet());
        assertThat(ControllerManager.resolve(List.of("*", "-serviceaccount"))).doesNotContain("serviceaccount");
        assertThat(ControllerManager.resolve(List.of("serviceaccount"))).containsExactly("serviceaccount");
    }

    @Test
    void anUnknownNameIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> ControllerManager.resolve(List.of("*", "-nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown controller nope").hasMessageContaining("serviceaccount");
    }
}

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

    @Test
    void workersFollowUpstreamsDefaultsUnlessAFlagSetsThem() {
        ControllerOptions options = ControllerOptions.builder().concurrentSyncs("deployment", 2).build();

        assertThat(options.workers("deployment")).isEqualTo(2);
        assertThat(options.workers("replicaset")).isEqualTo(5);
        assertThat(options.workers("garbagecollector")).isEqualTo(20);
        assertThat(options.workers("namespace")).isEqualTo(10);
        assertThatThrownBy(() -> ControllerOptions.builder().concurrentSyncs("job", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }
}

package io.k4j.scheduler.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.scheduler.framework.Status;
import org.junit.jupiter.api.Test;

class DiagnosisTest {

    /** Runs of one status instance, equal statuses of other instances and interleaved reasons all group by reason. */
    @Test
    void nodesGroupByPluginAndReasonWhateverTheStatusInstances() {
        Status antiAffinity = Status.unschedulable("node(s) didn't match pod anti-affinity rules").withPlugin("InterPodAffinity");
        Status sameReasonAnotherInstance = Status.unschedulable("node(s) didn't match pod anti-affinity rules")
                .withPlugin("InterPodAffinity");
        Status cpu = Status.unschedulable("Insufficient cpu").withPlugin("NodeResourcesFit");
        Diagnosis diagnosis = new Diagnosis();
        diagnosis.reject("a", antiAffinity);
        diagnosis.reject("b", antiAffinity);
        diagnosis.reject("c", cpu);
        diagnosis.reject("d", antiAffinity);
        diagnosis.reject("e", sameReasonAnotherInstance);
        diagnosis.reject("f", Status.unschedulable("Insufficient cpu").withPlugin("NodeResourcesFit"));

        assertThat(diagnosis.groups(Integer.MAX_VALUE)).containsExactly(
                new Diagnosis.Group("InterPodAffinity", "node(s) didn't match pod anti-affinity rules", 4,
                        java.util.List.of("a", "b", "d", "e")),
                new Diagnosis.Group("NodeResourcesFit", "Insufficient cpu", 2, java.util.List.of("c", "f")));
        assertThat(diagnosis.groups(1)).containsExactly(
                new Diagnosis.Group("InterPodAffinity", "node(s) didn't match pod anti-affinity rules", 4,
                        java.util.List.of("a")),
                new Diagnosis.Group("NodeResourcesFit", "Insufficient cpu", 2, java.util.List.of("c")));
    }
}

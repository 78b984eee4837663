package io.k4j.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevisionsTest {

    @Test
    void aNewReplicaSetGetsTheRevisionTheDeploymentsAnnotationsAndItsSize() {
        Deployment d = Fixtures.rolling(4, "1", "0");
        d.getMetadata().setAnnotations(Map.of("kubernetes.io/change-cause", "v2", Revisions.REVISION, "7",
                "kubectl.kubernetes.io/last-applied-configuration", "{}"));
        Map<String, String> annotations = new HashMap<>();
        assertThat(Revisions.setNewReplicaSetAnnotations(d, annotations, "3", false)).isTrue();
        assertThat(annotations).isEqualTo(Map.of("kubernetes.io/change-cause", "v2", Revisions.REVISION, "3",
                Revisions.DESIRED_REPLICAS, "4", Revisions.MAX_REPLICAS, "5"));
        assertThat(Revisions.setNewReplicaSetAnnotations(d, annotations, "3", true)).isFalse();
    }

    @Test
    void aReplicaSetBroughtBackByARollbackKeepsItsEarlierRevisions() {
        Deployment d = Fixtures.rolling(1, "1", "0");
        Map<String, String> annotations = new HashMap<>(Map.of(Revisions.REVISION, "1"));
        Revisions.setNewReplicaSetAnnotations(d, annotations, "3", true);
        assertThat(annotations).containsEntry(Revisions.REVISION, "3").containsEntry(Revisions.REVISION_HISTORY, "1");
        Revisions.setNewReplicaSetAnnotations(d, annotations, "5", true);
        assertThat(annotations).containsEntry(Revisions.REVISION, "5")
                .containsEntry(Revisions.REVISION_HISTORY, "1,3");
        // An older revision never lowers it.
        assertThat(Revisions.setNewReplicaSetAnnotations(d, annotations, "4", true)).isFalse();
    }

    @Test
    void maxRevisionReadsTheAnnotations() {
        assertThat(Revisions.maxRevision(List.of(Fixtures.rs("a", 1, 1, 1, Map.of(Revisions.REVISION, "2")),
                Fixtures.rs("b", 1, 1, 1, Map.of(Revisions.REVISION, "10")), Fixtures.rs("c", 1, 1, 1))))
                .isEqualTo(10);
    }
}

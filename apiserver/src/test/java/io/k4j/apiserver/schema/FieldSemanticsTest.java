package io.k4j.apiserver.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FieldSemanticsTest {

    @Test
    void containersMergeByName() {
        assertThat(FieldSemantics.list(PodSpec.class, "containers"))
                .contains(new ListSemantics("merge", "name", "map", List.of("name")));
        assertThat(FieldSemantics.list(PodSpec.class, "initContainers")).map(ListSemantics::patchMergeKey).contains("name");
        assertThat(FieldSemantics.list(PodSpec.class, "containers").orElseThrow().mergesByKey()).isTrue();
    }

    @Test
    void volumesMergeAndRetainKeys() {
        assertThat(FieldSemantics.list(PodSpec.class, "volumes"))
                .contains(new ListSemantics("merge,retainKeys", "name", "map", List.of("name")));
    }

    @Test
    void containerFields() {
        for (Class<?> c : List.of(Container.class, EphemeralContainer.class)) {
            assertThat(FieldSemantics.list(c, "ports"))
                    .contains(new ListSemantics("merge", "containerPort", "map", List.of("containerPort", "protocol")));
            assertThat(FieldSemantics.list(c, "env")).contains(new ListSemantics("merge", "name", "map", List.of("name")));
            assertThat(FieldSemantics.list(c, "volumeMounts")).map(ListSemantics::patchMergeKey).contains("mountPath");
            assertThat(FieldSemantics.list(c, "volumeDevices")).map(ListSemantics::patchMergeKey).contains("devicePath");
            assertThat(FieldSemantics.list(c, "args")).map(ListSemantics::listType).contains("atomic");
        }
    }

    @Test
    void metadata() {
        assertThat(FieldSemantics.list(ObjectMeta.class, "finalizers"))
                .contains(new ListSemantics("merge", null, "set", List.of()));
        assertThat(FieldSemantics.list(ObjectMeta.class, "finalizers").orElseThrow().mergesByKey()).isFalse();
        assertThat(FieldSemantics.list(ObjectMeta.class, "ownerReferences"))
                .contains(new ListSemantics("merge", "uid", "map", List.of("uid")));
    }

    @Test
    void servicePortsAndSpreadConstraintsHaveCompoundMapKeys() {
        assertThat(FieldSemantics.list(ServiceSpec.class, "ports"))
                .contains(new ListSemantics("merge", "port", "map", List.of("port", "protocol")));
        assertThat(FieldSemantics.list(PodSpec.class, "topologySpreadConstraints"))
                .contains(new ListSemantics("merge", "topologyKey", "map", List.of("topologyKey", "whenUnsatisfiable")));
    }

    @Test
    void atomicAndUntaggedLists() {
        assertThat(FieldSemantics.list(PodSpec.class, "tolerations"))
                .contains(new ListSemantics(null, null, "atomic", List.of()));
        assertThat(FieldSemantics.list(PodSpec.class, "tolerations").orElseThrow().mergesByKey()).isFalse();
        assertThat(FieldSemantics.list(NodeSpec.class, "taints")).map(ListSemantics::listType).contains("atomic");
        assertThat(FieldSemantics.list(PodSpec.class, "nodeName")).isEqualTo(Optional.empty());
    }

    @Test
    void conditions() {
        ListSemantics byType = new ListSemantics("merge", "type", "map", List.of("type"));
        assertThat(FieldSemantics.list(PodStatus.class, "conditions")).contains(byType);
        assertThat(FieldSemantics.list(NodeStatus.class, "conditions")).contains(byType);
        assertThat(FieldSemantics.list(DeploymentStatus.class, "conditions")).contains(byType);
        assertThat(FieldSemantics.list(JobStatus.class, "conditions"))
                .contains(new ListSemantics("merge", "type", "atomic", List.of()));
        assertThat(FieldSemantics.list(NodeStatus.class, "addresses"))
                .contains(new ListSemantics("merge", "type", "atomic", List.of()));
        assertThat(FieldSemantics.list(PodStatus.class, "hostIPs"))
                .contains(new ListSemantics("merge", "ip", "atomic", List.of()));
    }

    @Test
    void deploymentStrategyRetainsKeys() {
        assertThat(FieldSemantics.retainsKeys(DeploymentSpec.class, "strategy")).isTrue();
        assertThat(FieldSemantics.retainsKeys(DeploymentSpec.class, "template")).isFalse();
        assertThat(FieldSemantics.retainKeysFields()).containsKey(DeploymentSpec.class);
    }

    /** Every row names a list-typed JSON property of its model class, and map lists name their keys. */
    @Test
    void everyRowNamesAListFieldOfItsClass() {
        assertThat(FieldSemantics.entries()).hasSizeGreaterThan(80);
        for (FieldSemantics.Entry entry : FieldSemantics.entries()) {
            Field field = jsonField(entry.owner(), entry.jsonName());
            assertThat(field).as(entry.owner().getSimpleName() + "." + entry.jsonName()).isNotNull();
            assertThat(List.class.isAssignableFrom(field.getType())).as(entry.toString()).isTrue();
            ListSemantics s = entry.semantics();
            assertThat(s.listType()).as(entry.toString()).isIn(null, "atomic", "set", "map");
            assertThat("map".equals(s.listType())).as(entry.toString()).isEqualTo(!s.listMapKeys().isEmpty());
            if (s.listType() == null) {
                assertThat(s.mergesByKey()).as("an undeclared list type needs patch tags: " + entry).isTrue();
            }
            if (s.patchMergeKey() != null) {
                assertThat(s.patchStrategy()).as(entry.toString()).contains("merge");
            }
        }
    }

    private static Field jsonField(Class<?> owner, String name) {
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                JsonProperty p = f.getAnnotation(JsonProperty.class);
                if (p != null && p.value().equals(name)) {
                    return f;
                }
            }
        }
        return null;
    }
}

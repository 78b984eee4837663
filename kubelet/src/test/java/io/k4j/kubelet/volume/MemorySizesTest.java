package io.k4j.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemorySizesTest {

    private static final Map<String, Quantity> NODE = Map.of("memory", new Quantity("8Gi"));

    private static Pod pod(String... limits) {
        PodBuilder builder = new PodBuilder().withNewSpec().endSpec();
        int i = 0;
        for (String limit : limits) {
            var container = new ContainerBuilder().withName("c" + i++);
            if (limit != null) {
                container.withNewResources().addToLimits("memory", new Quantity(limit)).endResources();
            }
            builder.editSpec().addToContainers(container.build()).endSpec();
        }
        return builder.build();
    }

    @Test
    void theSmallestOfNodePodAndVolumeLimits() {
        assertThat(MemorySizes.tmpfsSize(pod((String) null), null, NODE)).isEqualTo(8L << 30);
        assertThat(MemorySizes.tmpfsSize(pod("1Gi", "512Mi"), null, NODE)).isEqualTo(1536L << 20);
        assertThat(MemorySizes.tmpfsSize(pod("1Gi", null), null, NODE)).isEqualTo(8L << 30);
        assertThat(MemorySizes.tmpfsSize(pod("1Gi"), new Quantity("64Mi"), NODE)).isEqualTo(64L << 20);
        assertThat(MemorySizes.tmpfsSize(pod("1Gi"), new Quantity("2Gi"), NODE)).isEqualTo(1L << 30);
        assertThat(MemorySizes.tmpfsSize(pod("16Gi"), null, NODE)).isEqualTo(8L << 30);
        assertThat(MemorySizes.tmpfsSize(pod((String) null), null, Map.of())).isZero();
        assertThat(MemorySizes.tmpfsSize(pod((String) null), new Quantity("1Mi"), Map.of())).isEqualTo(1L << 20);
    }
}

package io.k4j.controllers.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlicePlanTest {

    static final List<EndpointPort> HTTP = List.of(new EndpointPortBuilder().withName("http").withPort(8080)
            .withProtocol("TCP").build());

    static Endpoint endpoint(int i, boolean ready) {
        return new EndpointBuilder().withAddresses("10.0.0." + i).withNewConditions().withReady(ready).endConditions()
                .withNewTargetRef().withKind("Pod").withName("p" + i).withUid("uid-" + i).endTargetRef().build();
    }

    static List<Endpoint> endpoints(int from, int to) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = from; i < to; i++) {
            list.add(endpoint(i, true));
        }
        return list;
    }

    static EndpointSlice slice(String name, List<EndpointPort> ports, List<Endpoint> endpoints) {
        return new EndpointSliceBuilder().withNewMetadata().withName(name).endMetadata().withAddressType("IPv4")
                .withPorts(ports).withEndpoints(endpoints).build();
    }

    @Test
    void newEndpointsFillNewSlicesOfAtMostTheLimit() {
        SlicePlan plan = SlicePlan.compute(Map.of(HTTP, endpoints(0, 250)), List.of(), 100);
        assertThat(plan.creates()).extracting(c -> c.endpoints().size()).containsExactly(100, 100, 50);
        assertThat(plan.updates()).isEmpty();
        assertThat(plan.deletes()).isEmpty();
    }

    @Test
    void endpointsStayInTheirSliceAndNewOnesFillRoomFirst() {
        EndpointSlice existing = slice("web-a", HTTP, endpoints(0, 10));
        List<Endpoint> wanted = new ArrayList<>(endpoints(1, 12));
        wanted.set(0, endpoint(1, false)); // p1 turned not ready; p0 is gone; p10 and p11 are new

        SlicePlan plan = SlicePlan.compute(Map.of(HTTP, wanted), List.of(existing), 100);

        assertThat(plan.creates()).isEmpty();
        assertThat(plan.updates()).hasSize(1);
        assertThat(plan.updates().get(0).getEndpoints()).extracting(e -> e.getTargetRef().getName())
                .containsExactly("p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11");
        assertThat(plan.updates().get(0).getEndpoints().get(0).getConditions().getReady()).isFalse();
    }

    @Test
    void unchangedSlicesAreLeftAloneAndSlicesOfOldPortsGo() {
        EndpointSlice same = slice("web-a", HTTP, endpoints(0, 3));
        EndpointSlice oldPorts = slice("web-b", List.of(new EndpointPortBuilder().withName("http").withPort(9090)
                .withProtocol("TCP").build()), endpoints(3, 4));

        SlicePlan plan = SlicePlan.compute(Map.of(HTTP, endpoints(0, 3)), List.of(same, oldPorts), 100);

        assertThat(plan.updates()).isEmpty();
        assertThat(plan.creates()).isEmpty();
        assertThat(plan.deletes()).containsExactly(oldPorts);
    }

    @Test
    void withoutEndpointsOnePlaceholderRemains() {
        SlicePlan fresh = SlicePlan.compute(Map.of(), List.of(), 100);
        assertThat(fresh.creates()).containsExactly(new SlicePlan.Contents(List.of(), List.of()));

        EndpointSlice placeholder = slice("web-p", List.of(), List.of());
        EndpointSlice full = slice("web-f", HTTP, endpoints(0, 2));
        SlicePlan emptied = SlicePlan.compute(Map.of(), List.of(full, placeholder), 100);
        assertThat(emptied.creates()).isEmpty();
        assertThat(emptied.deletes()).containsExactly(full);
    }
}

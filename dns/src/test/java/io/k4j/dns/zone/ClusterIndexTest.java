package io.k4j.dns.zone;

import static io.k4j.dns.testing.Queries.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterIndexTest {

    private final ClusterIndex index = new ClusterIndex();
    private final ServiceKey db = new ServiceKey("Default", "DB");

    @Test
    void publishesReadyEndpointsOfAllSlicesOnce() {
        index.putService(ServiceEntry.headless("default", "db", List.of(), false));
        index.putSlice(db, "a", List.of(endpoint("10.42.0.1", "db-0", true), endpoint("10.42.0.2", null, false)));
        index.putSlice(db, "b", List.of(endpoint("10.42.0.1", "db-0", true), endpoint("10.42.0.3", null, true)));

        assertThat(index.endpoints(db)).extracting(EndpointAddress::label).containsExactly("db-0", "10-42-0-3");

        index.putService(ServiceEntry.headless("default", "db", List.of(), true));
        assertThat(index.endpoints(db)).extracting(EndpointAddress::label)
                .containsExactly("db-0", "10-42-0-2", "10-42-0-3");

        index.removeSlice(db, "a");
        assertThat(index.endpoints(db)).extracting(EndpointAddress::label).containsExactly("db-0", "10-42-0-3");
    }

    @Test
    void slicesWaitForTheirServiceAndStayWhenItGoes() {
        index.putSlice(db, "a", List.of(endpoint("10.42.0.1", null, true)));
        assertThat(index.endpoints(db)).isEmpty();
        assertThat(index.reverse(ip("10.42.0.1"))).isEmpty();

        index.putService(ServiceEntry.headless("default", "db", List.of(), false));
        assertThat(index.endpoints(db)).hasSize(1);
        assertThat(index.hasNamespace("default")).isTrue();

        index.removeService(db);
        assertThat(index.endpoints(db)).isEmpty();
        assertThat(index.reverse(ip("10.42.0.1"))).isEmpty();
        assertThat(index.hasNamespace("default")).isFalse();

        index.putService(ServiceEntry.headless("default", "db", List.of(), false));
        assertThat(index.endpoints(db)).hasSize(1);
    }

    @Test
    void reverseEntriesFollowServicesAndEndpoints() {
        ServiceKey web = new ServiceKey("default", "web");
        index.putService(ServiceEntry.clusterIp("default", "web", List.of(ip("10.43.0.5")), List.of()));
        index.putSlice(web, "w", List.of(endpoint("10.42.0.9", null, true)));
        index.putService(ServiceEntry.headless("default", "db", List.of(), false));
        index.putSlice(db, "a", List.of(endpoint("10.42.0.9", "db-0", true)));

        assertThat(index.reverse(ip("10.43.0.5"))).containsExactly(new ClusterIndex.ReverseTarget(web, null));
        assertThat(index.reverse(ip("10.42.0.9"))).containsExactly(
                new ClusterIndex.ReverseTarget(web, "10-42-0-9"), new ClusterIndex.ReverseTarget(db, "db-0"));

        index.putService(ServiceEntry.clusterIp("default", "web", List.of(ip("10.43.0.6")), List.of()));
        assertThat(index.reverse(ip("10.43.0.5"))).isEmpty();
        assertThat(index.reverse(ip("10.43.0.6"))).hasSize(1);

        index.putSlice(db, "a", List.of(endpoint("10.42.0.9", "db-0", false)));
        assertThat(index.reverse(ip("10.42.0.9"))).containsExactly(new ClusterIndex.ReverseTarget(web, "10-42-0-9"));
    }

    private static EndpointEntry endpoint(String address, String hostname, boolean ready) {
        return new EndpointEntry(List.of(ip(address)), hostname, ready, List.of());
    }
}

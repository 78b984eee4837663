package io.k4j.store.etcd;

import io.k4j.store.KeyValueStore;
import io.k4j.store.StoreConformanceTestAccess;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance suite against a real 3-member etcd cluster on loopback, started from Debian's etcd-server on
 * free ports. Each test gets its own key prefix; revisions are cluster-wide, which the suite allows for.
 */
class EtcdConformanceTest extends StoreConformanceTestAccess {

    private static final AtomicInteger TEST_NUMBER = new AtomicInteger();
    private static LocalEtcdCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        Assumptions.assumeTrue(LocalEtcdCluster.findBinary().isPresent(),
                "skipped: no etcd binary (apt-get install etcd-server; .ci/run installs it)");
        cluster = LocalEtcdCluster.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected KeyValueStore openStore() {
        return EtcdStore.connect(EtcdOptions.builder(cluster.endpoints())
                .keyPrefix("/conformance-" + TEST_NUMBER.incrementAndGet())
                .build());
    }
}

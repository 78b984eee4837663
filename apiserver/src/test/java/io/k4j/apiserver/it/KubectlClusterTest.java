package io.k4j.apiserver.it;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One real k4j API server per test class, driven by the real kubectl on PATH (the class is skipped, saying so,
 * when there is none); every test gets a namespace of its own, {@link #ns}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KubectlClusterTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    protected TestCluster cluster;
    protected String ns;

    @BeforeAll
    void startCluster() throws Exception {
        Assumptions.assumeTrue(TestCluster.kubectlBinary().isPresent(), "skipped: no kubectl on PATH");
        cluster = TestCluster.start();
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void createNamespace() throws Exception {
        ns = namespacePrefix() + NAMESPACES.incrementAndGet();
        cluster.kubectl("create", "namespace", ns).assertOk();
    }

    /** The start of each test's namespace name, so that a failure's namespace tells which class made it. */
    protected abstract String namespacePrefix();
}

package io.k4j.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.store.KeyValue;
import io.k4j.store.RangeRequest;
import io.k4j.store.RecordingListener;
import io.k4j.store.StoreException;
import io.k4j.store.StoreStartupException;
import io.k4j.store.Watch;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only the etcd backend has to show: start-up against a dead endpoint, and surviving a leader's death. */
class EtcdStoreTest {

    @BeforeEach
    void needEtcd() {
        Assumptions.assumeTrue(LocalEtcdCluster.findBinary().isPresent(),
                "skipped: no etcd binary (apt-get install etcd-server; .ci/run installs it)");
    }

    @Test
    void anUnreachableClusterGivesAClearErrorAfterBoundedRetries() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        EtcdOptions options = EtcdOptions.builder(List.of(URI.create("http://127.0.0.1:" + port)))
                .requestTimeout(Duration.ofMillis(500))
                .startupAttempts(2)
                .build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> EtcdStore.connect(options))
                .isInstanceOf(StoreStartupException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("2 attempts");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void writesResumeWithinFiveSecondsOfLosingTheLeaderAndNothingAcknowledgedIsLost() throws Exception {
        try (LocalEtcdCluster cluster = LocalEtcdCluster.start(3);
             EtcdStore store = EtcdStore.connect(EtcdOptions.builder(cluster.endpoints())
                     .keyPrefix("/failover").requestTimeout(Duration.ofSeconds(1)).build())) {
            long start = store.currentRevision();
            RecordingListener watcher = new RecordingListener();
            Map<String, Long> acknowledged = new ConcurrentHashMap<>();
            AtomicLong lastSuccessNanos = new AtomicLong();
            List<Long> gapsAfterKill = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong killedAtNanos = new AtomicLong();
            try (Watch ignored = store.watch("/", start, watcher)) {
                Thread writer = Thread.ofPlatform().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String key = "/k/" + i;
                        try {
                            KeyValue kv = store.create(key, ("v" + i).getBytes(StandardCharsets.UTF_8));
                            acknowledged.put(key, kv.modRevision());
                            long now = System.nanoTime();
                            long killed = killedAtNanos.get();
                            if (killed != 0 && gapsAfterKill.isEmpty()) {
                                gapsAfterKill.add(now - killed);
                            }
                            lastSuccessNanos.set(now);
                        } catch (StoreException e) {
                            // not acknowledged: allowed while there is no leader
                        }
                    }
                });
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= 200);
                int leader = cluster.leaderIndex();
                assertThat(leader).isNotNegative();
                killedAtNanos.set(System.nanoTime());
                cluster.kill(leader);
                int before = acknowledged.size();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                        .until(() -> acknowledged.size() >= before + 200);
                stop.set(true);
                writer.join();

                Duration outage = Duration.ofNanos(gapsAfterKill.get(0));
                System.out.println("first acknowledged write after killing the leader: " + outage.toMillis() + " ms");
                assertThat(outage).isLessThan(Duration.ofSeconds(5));
                int total = acknowledged.size();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                        () -> watcher.size() >= total || watcher.error() != null);
                assertThat(watcher.error()).isNull();
                List<Long> seen = watcher.awaitEvents(total).stream().map(event -> event.revision()).toList();
                assertThat(seen).isSorted().doesNotHaveDuplicates().containsAll(acknowledged.values());
            }
            Map<String, Long> stored = new ConcurrentHashMap<>();
            store.range(RangeRequest.prefix("/k/")).items().forEach(kv -> stored.put(kv.key(), kv.modRevision()));
            assertThat(stored).containsAllEntriesOf(acknowledged);
        }
    }
}

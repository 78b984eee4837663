package io.k4j.kubelet.prober;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe manager on the real scheduler and real probe actions, against a loopback server. */
class ProbeManagerRealTimeTest {

    private final ExecutorTaskScheduler scheduler = new ExecutorTaskScheduler("probe-test-timer");
    private final RecordingProbeListener listener = new RecordingProbeListener();
    private final ProbeManager manager = new ProbeManager(new ContainerProbeActions(FakeRuntimes.backedBy(
            new Object())), scheduler, Clock.systemUTC(), listener);
    private final Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("default")
            .withUid("uid-1").endMetadata().build();
    private volatile int status = 200;
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        manager.close();
        scheduler.close();
        server.stop(0);
    }

    private static Probe periodOne(ProbeBuilder builder) {
        return builder.withPeriodSeconds(1).withFailureThreshold(1).build();
    }

    @Test
    void readinessFollowsTheServer() {
        Probe readiness = periodOne(new ProbeBuilder().withNewHttpGet().withPath("/healthz")
                .withPort(new IntOrString(server.getAddress().getPort())).endHttpGet());
        manager.add(pod, new ContainerBuilder().withName("app").withReadinessProbe(readiness).build(), "c1",
                "127.0.0.1", Instant.now());

        await().atMost(Duration.ofSeconds(10)).until(() -> manager.ready("c1"));
        status = 503;
        await().atMost(Duration.ofSeconds(10)).until(() -> !manager.ready("c1"));
        assertThat(listener.events)
                .contains("Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503");
    }

    @Test
    void aLivenessProbeOnAClosedPortAsksForARestart() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Probe liveness = periodOne(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(closed))
                .endTcpSocket());
        manager.add(pod, new ContainerBuilder().withName("app").withLivenessProbe(liveness).build(), "c1",
                "127.0.0.1", Instant.now());

        await().atMost(Duration.ofSeconds(10)).until(() -> !listener.kills.isEmpty());
        assertThat(listener.kills).containsExactly("uid-1/app/c1: Container app failed liveness probe");
        assertThat(listener.events).containsExactly(
                "Unhealthy: Liveness probe failed: dial tcp 127.0.0.1:" + closed + ": connect: connection refused");
    }

    @Test
    void theExecutorSchedulerRunsLaterAndCancels() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicBoolean virtual = new AtomicBoolean();
        scheduler.schedule(cancelled::countDown, Duration.ofMillis(200)).cancel();
        scheduler.schedule(() -> {
            virtual.set(Thread.currentThread().isVirtual());
            ran.countDown();
        }, Duration.ofMillis(50));

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(virtual).isTrue();
        assertThat(cancelled.await(400, TimeUnit.MILLISECONDS)).isFalse();
    }
}

package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code k4j controller-manager} on its own, against a server that runs none: two instances campaign for the
 * kube-system/kube-controller-manager Lease, one works, and the other takes over when the first stops.
 */
class ControllerManagerIT {

    @RegisterExtension
    static final ServerPerClass CLUSTER = ServerPerClass.started("export KUBECONFIG=", "--disable",
            "scheduler,controller-manager");

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Process controllerManager(String name, String... flags) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("controller-manager", "--kubeconfig",
                CLUSTER.server().kubeconfig().toString(), "--controllers", "serviceaccount"));
        args.addAll(java.util.List.of(flags));
        return new ProcessBuilder(RunningServer.java(args.toArray(String[]::new))).redirectErrorStream(true)
                .redirectOutput(CLUSTER.dir().resolve(name + ".log").toFile()).start();
    }

    private static String log(String name) throws Exception {
        return Files.readString(CLUSTER.dir().resolve(name + ".log"));
    }

    private static String leaseHolder() throws Exception {
        return CLUSTER.server().kubectl("get", "lease", "kube-controller-manager", "-n", "kube-system", "-o",
                "jsonpath={.spec.holderIdentity}").out();
    }

    private static boolean hasDefaultServiceAccount(String namespace) throws Exception {
        return CLUSTER.server().kubectl("get", "serviceaccount", "default", "-n", namespace).exitCode() == 0;
    }

    @Test
    void oneOfTwoInstancesWorksAndTheOtherTakesOverWhenItStops() throws Exception {
        Process first = controllerManager("first");
        Process second = null;
        try {
            await().atMost(WAIT).until(() -> log("first").contains("running [serviceaccount]"));
            String firstHolder = leaseHolder();
            second = controllerManager("second");
            await().atMost(WAIT).until(() -> log("second").contains("campaigning for the kube-system/kube-controller-manager lease"));
            CLUSTER.server().kubectl("create", "namespace", "before-failover").assertOk();
            await().atMost(WAIT).until(() -> hasDefaultServiceAccount("before-failover"));
            assertThat(leaseHolder()).isEqualTo(firstHolder);
            assertThat(log("second")).doesNotContain("running [serviceaccount]");

            first.destroy(); // SIGTERM: the lease is released on the way out
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(() -> log("second").contains("running [serviceaccount]"));
            assertThat(leaseHolder()).isNotEqualTo(firstHolder);
            CLUSTER.server().kubectl("create", "namespace", "after-failover").assertOk();
            await().atMost(WAIT).until(() -> hasDefaultServiceAccount("after-failover"));
        } finally {
            first.destroy();
            if (second != null) {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anUnknownControllerIsRefusedWithAMessage() throws Exception {
        Process bad = controllerManager("bad", "--controllers", "no-such-controller", "--leader-elect=false");
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isNotZero();
        assertThat(log("bad")).contains("unknown controller no-such-controller").doesNotContain("\tat ");
    }
}

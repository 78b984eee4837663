package io.k4j.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election through a coordination.k8s.io Lease in kube-system, with upstream's timings for its control-plane
 * components (15 s lease, 10 s renew deadline, 2 s retry): {@code onStart} runs when this instance takes the lease,
 * {@code onStop} when it loses it or is closed (the lease is then released so another instance takes over at once).
 */
public final class LeaseCampaign implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseCampaign.class);
    public static final String NAMESPACE = "kube-system";

    private final CompletableFuture<?> election;

    private LeaseCampaign(CompletableFuture<?> election) {
        this.election = election;
    }

    /** A default identity: host name and a random suffix, as upstream's components use. */
    public static String defaultIdentity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "k4j";
        }
        return host + "_" + UUID.randomUUID();
    }

    /** Starts campaigning for {@code kube-system/leaseName} as {@code identity}. */
    public static LeaseCampaign start(KubernetesClient client, String leaseName, String identity, Runnable onStart,
            Runnable onStop) {
        CompletableFuture<?> election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(NAMESPACE, leaseName, identity))
                .withLeaseDuration(Duration.ofSeconds(15))
                .withRenewDeadline(Duration.ofSeconds(10))
                .withRetryPeriod(Duration.ofSeconds(2))
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(onStart, onStop,
                        leader -> LOG.info("{} leader is now {}", leaseName, leader)))
                .build()).build().start();
        return new LeaseCampaign(election);
    }

    @Override
    public void close() {
        election.cancel(true);
    }
}

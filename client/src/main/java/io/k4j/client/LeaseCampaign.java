package io.k4j.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election through a coordination.k8s.io Lease in kube-system, with upstream's timings for its control-plane
 * components (15 s lease, 10 s renew deadline, 2 s retry): {@code onStart} runs when this instance takes the lease,
 * {@code onStop} when it loses it or is closed (the lease is then released so another instance takes over at once).
 * An instance that loses the lease campaigns again: upstream's components exit then and count on being restarted,
 * but components inside {@code k4j server} have nobody to restart them.
 */
public final class LeaseCampaign implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseCampaign.class);
    public static final String NAMESPACE = "kube-system";
    private static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final LeaderElectionConfig config;
    private boolean closed;
    private CompletableFuture<?> election;

    private LeaseCampaign(KubernetesClient client, LeaderElectionConfig config) {
        this.client = client;
        this.config = config;
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
        LeaseCampaign campaign = new LeaseCampaign(client, new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(NAMESPACE, leaseName, identity))
                .withLeaseDuration(Duration.ofSeconds(15))
                .withRenewDeadline(Duration.ofSeconds(10))
                .withRetryPeriod(RETRY_PERIOD)
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(onStart, onStop,
                        leader -> LOG.info("{} leader is now {}", leaseName, leader)))
                .build());
        campaign.campaign();
        return campaign;
    }

    private synchronized void campaign() {
        if (closed) {
            return;
        }
        election = client.leaderElector().withConfig(config).build().start();
        // Ends when the lease is lost (fabric8 has run onStop by then) or the campaign is cancelled by close().
        election.whenComplete((ignored, failure) -> campaignAgain());
    }

    private synchronized void campaignAgain() {
        if (!closed) {
            LOG.info("{} is not leading {} any more; campaigning again", config.getLock().identity(),
                    config.getName());
            CompletableFuture.delayedExecutor(RETRY_PERIOD.toMillis(), TimeUnit.MILLISECONDS).execute(this::campaign);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        election.cancel(true);
    }
}

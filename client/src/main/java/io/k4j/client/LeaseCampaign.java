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
    private final String leaseName;
    private final String identity;
    private final Runnable onStart;
    private final Runnable onStop;
    private boolean closed;
    private CompletableFuture<?> election;

    private LeaseCampaign(KubernetesClient client, String leaseName, String identity, Runnable onStart,
            Runnable onStop) {
        this.client = client;
        this.leaseName = leaseName;
        this.identity = identity;
        this.onStart = onStart;
        this.onStop = onStop;
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
        LeaseCampaign campaign = new LeaseCampaign(client, leaseName, identity, onStart, onStop);
        campaign.campaign();
        return campaign;
    }

    private synchronized void campaign() {
        if (closed) {
            return;
        }
        CompletableFuture<?> current = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(NAMESPACE, leaseName, identity))
                .withLeaseDuration(Duration.ofSeconds(15))
                .withRenewDeadline(Duration.ofSeconds(10))
                .withRetryPeriod(RETRY_PERIOD)
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(onStart, onStop,
                        leader -> LOG.info("{} leader is now {}", leaseName, leader)))
                .build()).build().start();
        election = current;
        // Ends when the lease is lost (fabric8 has run onStop by then) or the campaign is cancelled by close().
        current.whenComplete((ignored, failure) -> campaignAgain());
    }

    private synchronized void campaignAgain() {
        if (!closed) {
            LOG.info("{} is not leading {} any more; campaigning again", identity, leaseName);
            CompletableFuture.delayedExecutor(RETRY_PERIOD.toMillis(), TimeUnit.MILLISECONDS).execute(this::campaign);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        election.cancel(true);
    }
}

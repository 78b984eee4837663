package io.k4j.scheduler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.LeaseCampaign;
import io.k4j.scheduler.config.SchedulerConfiguration;
import io.k4j.scheduler.core.Scheduler;
import io.k4j.scheduler.plugins.InTreePlugins;
import java.time.Clock;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler as a component: it campaigns for the {@code kube-system/kube-scheduler} Lease (upstream's lease
 * timings: 15 s duration, 10 s renew deadline, 2 s retry) and schedules only while it holds it, so several
 * instances can run and exactly one works. Losing the lease stops the scheduler; it campaigns again.
 */
public final class SchedulerServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerServer.class);
    public static final String LEASE_NAMESPACE = LeaseCampaign.NAMESPACE;
    public static final String LEASE_NAME = "kube-scheduler";

    private final KubernetesClient client;
    private final SchedulerConfiguration configuration;
    private final boolean leaderElect;
    /** Set by close(), whose stop is not a lost lease. */
    private volatile boolean closed;
    private final String identity;
    private final Clock clock;
    private volatile Scheduler scheduler;
    private LeaseCampaign election;

    private SchedulerServer(Builder builder) {
        this.client = Objects.requireNonNull(builder.client, "client");
        this.configuration = builder.configuration;
        this.leaderElect = builder.leaderElect;
        this.identity = builder.identity;
        this.clock = builder.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private KubernetesClient client;
        private SchedulerConfiguration configuration = SchedulerConfiguration.defaults();
        private boolean leaderElect = true;
        private String identity = LeaseCampaign.defaultIdentity();
        private Clock clock = Clock.systemUTC();

        public Builder client(KubernetesClient client) {
            this.client = client;
            return this;
        }

        public Builder configuration(SchedulerConfiguration configuration) {
            this.configuration = configuration;
            return this;
        }

        /** false runs the scheduler at once, without a lease (a single instance, tests, benchmarks). */
        public Builder leaderElect(boolean leaderElect) {
            this.leaderElect = leaderElect;
            return this;
        }

        public Builder identity(String identity) {
            this.identity = identity;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Checks the configuration (plugins and profiles) and starts; with leader election, scheduling begins once elected. */
        public SchedulerServer start() throws InterruptedException {
            SchedulerServer server = new SchedulerServer(this);
            server.start();
            return server;
        }
    }

    private Scheduler newScheduler() {
        return new Scheduler(client, configuration, InTreePlugins.registry(), clock, RandomGenerator.getDefault());
    }

    private void start() throws InterruptedException {
        if (!leaderElect) {
            scheduler = newScheduler().start();
            return;
        }
        newScheduler().close(); // fails fast on a bad configuration, before any campaign
        election = LeaseCampaign.start(client, LEASE_NAME, identity, this::startedLeading, this::stoppedLeading);
    }

    private void startedLeading() {
        try {
            LOG.info("{} became the scheduler leader", identity);
            scheduler = newScheduler().start();
            LOG.info("{} listed the cluster and is scheduling", identity);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stoppedLeading() {
        if (stopScheduling() && !closed) {
            LOG.info("{} lost the scheduler lease; scheduling stopped", identity);
        }
    }

    /** Whether a scheduler was running (and now is not). */
    private boolean stopScheduling() {
        Scheduler current = scheduler;
        scheduler = null;
        if (current == null) {
            return false;
        }
        current.close();
        return true;
    }

    /** The running scheduler, or null while this instance is not the leader. */
    public Scheduler scheduler() {
        return scheduler;
    }

    public String identity() {
        return identity;
    }

    @Override
    public void close() {
        closed = true;
        if (election != null) {
            election.close();
        }
        stopScheduling();
    }
}

package io.k4j.ingress;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.ingress.kube.ClusterWatch;
import io.k4j.ingress.kube.IngressClassEnsurer;
import io.k4j.ingress.kube.StatusWriter;
import io.k4j.ingress.proxy.IngressServer;
import io.k4j.ingress.proxy.ServingState;
import io.k4j.ingress.routing.Backend;
import io.k4j.ingress.routing.IngressClassPolicy;
import io.k4j.ingress.routing.RouteMatch;
import io.k4j.ingress.routing.RoutingTable;
import io.k4j.ingress.routing.RoutingTableBuilder;
import io.k4j.ingress.tls.DefaultCertificate;
import io.k4j.ingress.tls.TlsCertificates;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * k4j's ingress controller: serves the networking.k8s.io/v1 Ingresses of its class over HTTP and HTTPS on the node.
 *
 * <p>start() makes sure the IngressClass exists (default class, created once), starts informers, the listeners,
 * and one sync thread ("k4j-ingress-sync") that rebuilds the routing table after changes (bursts coalesced) and
 * writes the Ingresses' status. close() stops informers, the sync thread and the listeners.
 */
public final class IngressController implements AutoCloseable {

    public static final String DEFAULT_CLASS = "k4j";
    public static final String CONTROLLER = "k4j.io/ingress-controller";
    private static final Logger LOG = LoggerFactory.getLogger(IngressController.class);

    private final Builder config;
    private final IngressClassPolicy policy;
    private final RoutingTableBuilder tables;
    private final ScheduledExecutorService sync;
    private final AtomicBoolean syncQueued = new AtomicBoolean();
    private TlsCertificates certificates;
    private IngressServer server;
    private volatile ClusterWatch watch;
    private StatusWriter status;
    private Set<String> loggedProblems = Set.of();

    private IngressController(Builder config) {
        this.config = config;
        this.policy = new IngressClassPolicy(config.className, config.controller);
        this.tables = new RoutingTableBuilder(policy);
        this.sync = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "k4j-ingress-sync");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    private IngressController start() throws InterruptedException {
        try {
            if (config.ensureIngressClass) {
                IngressClassEnsurer.ensure(config.client, policy);
            }
            certificates = new TlsCertificates(DefaultCertificate.create(Instant.now()));
            server = config.listeners.defaultCertificate(certificates.defaultContext()).start();
            status = new StatusWriter(config.client);
            watch = new ClusterWatch(config.client, this::requestSync);
            requestSync();
            return this;
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Schedules one rebuild soon; requests arriving meanwhile are served by that same rebuild. */
    private void requestSync() {
        if (syncQueued.compareAndSet(false, true)) {
            sync.schedule(this::syncNow, config.syncDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void syncNow() {
        syncQueued.set(false);
        ClusterWatch watch = this.watch;
        if (watch == null) {
            // Informers report while they start; start() asks for a sync once they all have listed.
            return;
        }
        try {
            RoutingTable table = tables.build(watch.snapshot());
            server.update(new ServingState(table, certificates.contextsFor(table, watch::secret),
                    certificates.defaultContext()));
            logNewProblems(table.problems());
            if (config.writeStatus) {
                status.write(table.servedIngresses(), watch::ingress, config.nodeAddresses.get());
            }
        } catch (RuntimeException e) {
            LOG.error("ingress sync failed; serving the previous routing table", e);
        }
    }

    private void logNewProblems(List<String> problems) {
        Set<String> current = Set.copyOf(problems);
        for (String problem : problems) {
            if (!loggedProblems.contains(problem)) {
                LOG.warn("{}", problem);
            }
        }
        loggedProblems = new HashSet<>(current);
    }

    /** The backend the current table routes a request to, if any (for diagnostics). */
    public Optional<Backend> routeFor(String host, String requestTarget) {
        return server.current().route(host, requestTarget) instanceof RouteMatch.Found found
                ? Optional.of(found.backend()) : Optional.empty();
    }

    public int httpPort() {
        return server.httpPort();
    }

    public int httpsPort() {
        return server.httpsPort();
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        sync.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    /** Configuration of the controller; {@link #start()} runs it. */
    public static final class Builder {
        private KubernetesClient client;
        /** Where and how the proxy listens: the server's own builder, which start() completes. */
        private final IngressServer.Builder listeners = IngressServer.builder();
        private String className = DEFAULT_CLASS;
        private String controller = CONTROLLER;
        private boolean ensureIngressClass = true;
        private boolean writeStatus = true;
        private Supplier<List<String>> nodeAddresses = List::of;
        private Duration syncDelay = Duration.ofMillis(100);

        public Builder client(KubernetesClient client) {
            this.client = client;
            return this;
        }

        public Builder bindAddress(String bindAddress) {
            listeners.bindAddress(bindAddress);
            return this;
        }

        /** The plain HTTP port (80); 0 picks a free one, below 0 turns it off. */
        public Builder httpPort(int httpPort) {
            listeners.httpPort(httpPort);
            return this;
        }

        /** The HTTPS port (443); 0 picks a free one, below 0 turns it off. */
        public Builder httpsPort(int httpsPort) {
            listeners.httpsPort(httpsPort);
            return this;
        }

        public Builder className(String className) {
            this.className = className;
            return this;
        }

        public Builder controller(String controller) {
            this.controller = controller;
            return this;
        }

        /** Whether start() creates the IngressClass when it is missing (default true). */
        public Builder ensureIngressClass(boolean ensureIngressClass) {
            this.ensureIngressClass = ensureIngressClass;
            return this;
        }

        /**
         * Whether this controller writes status.loadBalancer (default true). With several nodes, let one write
         * (or give every node the same address list), or they overwrite each other.
         */
        public Builder writeStatus(boolean writeStatus) {
            this.writeStatus = writeStatus;
            return this;
        }

        /** The node's addresses, written to status.loadBalancer.ingress of the served Ingresses. */
        public Builder nodeAddresses(Supplier<List<String>> nodeAddresses) {
            this.nodeAddresses = nodeAddresses;
            return this;
        }

        /** Proxy event loop threads; 0 means Netty's default. */
        public Builder workerThreads(int workerThreads) {
            listeners.workerThreads(workerThreads);
            return this;
        }

        /** How long a change waits for others to join its rebuild. */
        public Builder syncDelay(Duration syncDelay) {
            this.syncDelay = syncDelay;
            return this;
        }

        public IngressController start() throws InterruptedException {
            Objects.requireNonNull(client, "client");
            return new IngressController(this).start();
        }
    }
}

package io.k4j.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.k4j.client.InformerHandlers;
import io.k4j.proxy.rules.CleanupRenderer;
import io.k4j.proxy.rules.Jump;
import io.k4j.proxy.rules.NodeFacts;
import io.k4j.proxy.rules.RenderedRules;
import io.k4j.proxy.rules.RuleRenderer;
import io.k4j.proxy.rules.ServicePortInfo;
import io.k4j.proxy.rules.StaleConntrack;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service proxy of one node: kube-proxy's iptables mode. Watches Services and EndpointSlices and keeps the
 * node's nat and filter tables in line with them, one atomic iptables-restore per sync.
 *
 * <p>{@link #start()} starts two informers and one sync thread ("k4j-proxy-sync"); {@link #close()} stops them
 * and removes every chain and rule the proxy added.
 */
public final class ServiceProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceProxy.class);
    private static final List<String> TABLES = List.of("nat", "filter");

    private final Builder config;
    private final ProxyState state = new ProxyState();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private Netfilter netfilter;
    private SyncLoop loop;
    private volatile boolean synced;
    private volatile SyncStats lastSync;
    // Touched by the sync thread only.
    private List<ServicePortInfo> applied = List.of();
    private Set<String> appliedChains = Set.of();
    private Map<String, String> appliedServiceChains = Map.of();
    private boolean jumpsInstalled;

    /** Timing of the last successful sync. */
    public record SyncStats(boolean full, int servicePorts, int unchangedServicePorts, int rules, Duration render,
            Duration apply) {
    }

    private ServiceProxy(Builder config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts watching and syncing; returns without waiting for the first sync. */
    public synchronized ServiceProxy start() {
        if (loop != null) {
            throw new IllegalStateException("already started");
        }
        IptablesMode mode = config.mode != null ? config.mode : IptablesMode.detect(config.iptables);
        netfilter = new Netfilter(config.iptables, mode);
        if (config.localhostNodePorts) {
            try {
                netfilter.enableRouteLocalnet();
            } catch (IOException e) {
                log.warn("NodePorts will not answer on 127.0.0.1: {}", e.getMessage());
            }
        }
        loop = new SyncLoop("k4j-proxy-sync", new SyncLimiter(config.minSyncPeriod, config.fullResyncPeriod),
                config.clock, this::sync);
        loop.start();
        SharedIndexInformer<Service> services = config.client.services().inAnyNamespace()
                .runnableInformer(0);
        services.addEventHandler(handler(state::putService, state::removeService));
        SharedIndexInformer<EndpointSlice> slices = config.client.discovery().v1().endpointSlices().inAnyNamespace()
                .runnableInformer(0);
        slices.addEventHandler(handler(state::putSlice, state::removeSlice));
        informers.add(services);
        informers.add(slices);
        // Syncing before both initial lists are in would reject services whose endpoints are still unknown.
        CompletableFuture.allOf(services.start().toCompletableFuture(), slices.start().toCompletableFuture())
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        log.warn("service proxy informers failed to start: {}", error.toString());
                        return;
                    }
                    // start() completes before the handlers have seen every listed object; the stores have.
                    services.getStore().list().forEach(state::putService);
                    slices.getStore().list().forEach(state::putSlice);
                    synced = true;
                    loop.request();
                });
        log.info("service proxy for node {} started (iptables-{}, min sync period {}, full resync every {})",
                config.nodeName, mode.name().toLowerCase(), config.minSyncPeriod, config.fullResyncPeriod);
        return this;
    }

    /** Every change goes into the state, then asks for a sync. */
    private <T> ResourceEventHandler<T> handler(Consumer<T> put, Consumer<T> remove) {
        return InformerHandlers.of(put.andThen(ignored -> changed()), remove.andThen(ignored -> changed()));
    }

    private void changed() {
        if (synced) {
            loop.request();
        }
    }

    /** The last successful sync, or null before the first. */
    public SyncStats lastSync() {
        return lastSync;
    }

    public IptablesMode mode() {
        return netfilter.mode();
    }

    private void sync(boolean full) throws IOException {
        List<ServicePortInfo> desired = state.snapshot();
        NodeFacts node = nodeFacts();
        Set<String> stale = new HashSet<>(appliedChains);
        if (full) {
            // Chains left by an earlier run (or another kube-proxy) are only found by reading the kernel.
            stale.addAll(CleanupRenderer.perServiceChains("nat", netfilter.save("nat")));
        }
        long t0 = System.nanoTime();
        // A partial sync rewrites only services whose chains changed; a full one rewrites everything.
        RenderedRules rules = new RuleRenderer(node).render(desired, stale, full ? Map.of() : appliedServiceChains);
        long t1 = System.nanoTime();
        netfilter.restore(rules.text());
        long t2 = System.nanoTime();
        if (full || !jumpsInstalled) {
            for (Jump jump : Jump.ALL) {
                netfilter.ensure(jump);
            }
            jumpsInstalled = true;
        }
        for (List<String> args : StaleConntrack.commands(applied, desired, config.nodeName)) {
            try {
                netfilter.conntrack(args);
            } catch (IOException e) {
                log.warn("could not clear stale UDP flows: {}", e.getMessage());
            }
        }
        applied = desired;
        appliedChains = rules.perServiceChains();
        appliedServiceChains = rules.serviceChains();
        lastSync = new SyncStats(full, desired.size(), rules.unchangedServices(), rules.ruleCount(), Duration.ofNanos(t1 - t0),
                Duration.ofNanos(t2 - t1));
        log.debug("synced {} service ports ({} unchanged, {} rules, full={}) in {} ms", desired.size(),
                rules.unchangedServices(), rules.ruleCount(), full, (t2 - t0) / 1_000_000);
    }

    private NodeFacts nodeFacts() {
        List<String> ips = config.nodeIps.get().stream().filter(ProxyState::isIpv4).sorted().toList();
        return new NodeFacts(config.nodeName, ips, config.clusterCidr, config.localhostNodePorts);
    }

    /** Stops the informers and the sync thread, then removes every chain and rule this proxy added. */
    @Override
    public synchronized void close() throws InterruptedException {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
        if (loop != null) {
            loop.close();
            loop = null;
            cleanup(netfilter);
        }
    }

    /**
     * Removes every chain and rule a service proxy (this one or kube-proxy) added, from both iptables back ends,
     * e.g. for {@code k4j proxy --cleanup}.
     *
     * @return true when everything found was removed
     */
    public static boolean cleanup(Iptables iptables) {
        boolean ok = true;
        for (IptablesMode mode : IptablesMode.values()) {
            ok &= cleanup(new Netfilter(iptables, mode));
        }
        return ok;
    }

    private static boolean cleanup(Netfilter netfilter) {
        boolean ok = true;
        for (String table : TABLES) {
            try {
                String removal = CleanupRenderer.render(table, netfilter.save(table));
                if (!removal.isEmpty()) {
                    netfilter.restore(removal);
                    log.info("removed service proxy rules from the {} table (iptables-{})", table,
                            netfilter.mode().name().toLowerCase());
                }
            } catch (IOException e) {
                log.warn("cleanup of the {} table (iptables-{}) failed: {}", table,
                        netfilter.mode().name().toLowerCase(), e.getMessage());
                ok = false;
            }
        }
        return ok;
    }

    /** Configuration; every setting but the client and the node name has a default. */
    public static final class Builder {
        private KubernetesClient client;
        private String nodeName;
        private Supplier<List<String>> nodeIps = List::of;
        private String clusterCidr = "10.42.0.0/16";
        private Duration minSyncPeriod = Duration.ofSeconds(1);
        private Duration fullResyncPeriod = Duration.ofHours(1);
        private Clock clock = Clock.systemUTC();
        private Iptables iptables = Iptables.local();
        private IptablesMode mode;
        private boolean localhostNodePorts = true;

        private Builder() {
        }

        public Builder client(KubernetesClient v) { client = v; return this; }
        public Builder nodeName(String v) { nodeName = v; return this; }
        /** The node's addresses, where NodePorts answer; read at every sync. Empty: every local address. */
        public Builder nodeIps(Supplier<List<String>> v) { nodeIps = v; return this; }
        public Builder clusterCidr(String v) { clusterCidr = v; return this; }
        public Builder minSyncPeriod(Duration v) { minSyncPeriod = v; return this; }
        public Builder fullResyncPeriod(Duration v) { fullResyncPeriod = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder iptables(Iptables v) { iptables = v; return this; }
        /** Forces a back end instead of detecting it. */
        public Builder mode(IptablesMode v) { mode = v; return this; }
        /** NodePorts on 127.0.0.1 too (sets route_localnet=1, as kube-proxy does); default true. */
        public Builder localhostNodePorts(boolean v) { localhostNodePorts = v; return this; }

        public ServiceProxy build() {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(nodeName, "nodeName");
            Objects.requireNonNull(clusterCidr, "clusterCidr");
            new SyncLimiter(minSyncPeriod, fullResyncPeriod); // validates the periods
            return new ServiceProxy(this);
        }
    }
}

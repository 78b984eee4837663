package io.k4j.controllers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.client.EventRecorder;
import io.k4j.client.LeaseCampaign;
import io.k4j.controllers.api.Reconciler;
import io.k4j.controllers.runtime.ControllerLoop;
import io.k4j.controllers.runtime.SharedCaches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller manager: it campaigns for the {@code kube-system/kube-controller-manager} Lease and, while it holds
 * it, runs the enabled controllers over one set of shared informer caches. Losing the lease stops every controller.
 */
public final class ControllerManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);
    public static final String LEASE_NAME = "kube-controller-manager";
    static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

    private final KubernetesClient client;
    private final ControllerOptions options;
    private final Set<String> enabled;
    private final String identity;
    private LeaseCampaign campaign;
    private Running running;

    /** The controllers of one term as leader, with their caches and event recorders. */
    private record Running(SharedCaches caches, List<EventRecorder> recorders, List<ControllerLoop> loops) {
        void close() {
            loops.forEach(ControllerLoop::close);
            caches.close();
            recorders.forEach(EventRecorder::close);
        }
    }

    private ControllerManager(Builder builder) {
        this.client = Objects.requireNonNull(builder.client, "client");
        this.options = builder.options;
        this.enabled = resolve(builder.controllers);
        this.identity = builder.identity;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private KubernetesClient client;
        private ControllerOptions options = ControllerOptions.defaults();
        private List<String> controllers = List.of("*");
        private boolean leaderElect = true;
        private String identity = LeaseCampaign.defaultIdentity();

        public Builder client(KubernetesClient client) {
            this.client = client;
            return this;
        }

        public Builder options(ControllerOptions options) {
            this.options = options;
            return this;
        }

        /** Upstream's --controllers syntax: "*" for all, "name" to add one, "-name" to leave one out. */
        public Builder controllers(List<String> controllers) {
            this.controllers = List.copyOf(controllers);
            return this;
        }

        public Builder leaderElect(boolean leaderElect) {
            this.leaderElect = leaderElect;
            return this;
        }

        public Builder identity(String identity) {
            this.identity = identity;
            return this;
        }

        /** Checks the controller names and starts; with leader election, controllers run once elected. */
        public ControllerManager start() throws InterruptedException, TimeoutException {
            ControllerManager manager = new ControllerManager(this);
            if (leaderElect) {
                manager.campaign = LeaseCampaign.start(client, LEASE_NAME, identity, manager::startedLeading,
                        manager::stoppedLeading);
            } else {
                manager.run();
            }
            return manager;
        }
    }

    /** Turns --controllers entries into the set of names to run; unknown names are an error. */
    static Set<String> resolve(List<String> entries) {
        Set<String> known = KnownControllers.all().keySet();
        Set<String> result = new LinkedHashSet<>();
        for (String entry : entries) {
            String name = entry.startsWith("-") ? entry.substring(1) : entry;
            if (!name.equals("*") && !known.contains(name)) {
                throw new IllegalArgumentException("unknown controller " + name + "; known: " + known);
            }
        }
        if (entries.contains("*")) {
            result.addAll(known);
        }
        for (String entry : entries) {
            if (entry.startsWith("-")) {
                result.remove(entry.substring(1));
            } else if (!entry.equals("*")) {
                result.add(entry);
            }
        }
        return result;
    }

    public Set<String> enabled() {
        return enabled;
    }

    public String identity() {
        return identity;
    }

    private synchronized void run() throws InterruptedException, TimeoutException {
        SharedCaches caches = new SharedCaches(client);
        List<EventRecorder> recorders = new ArrayList<>();
        List<ControllerLoop> loops = new ArrayList<>();
        Map<String, Function<ControllerOptions, Reconciler>> known = KnownControllers.all();
        for (String name : enabled) {
            EventRecorder events = new EventRecorder(client, options.clock(), KnownControllers.eventSource(name));
            recorders.add(events);
            loops.add(new ControllerLoop(name, known.get(name).apply(options), options.workers(name), client, caches,
                    options.clock(), events));
        }
        running = new Running(caches, recorders, loops);
        caches.startAndSync(SYNC_TIMEOUT);
        loops.forEach(ControllerLoop::start);
        LOG.info("controller manager {} running {}", identity, enabled);
    }

    private void startedLeading() {
        try {
            run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | RuntimeException e) {
            LOG.error("controller manager could not start its controllers", e);
        }
    }

    private synchronized void stoppedLeading() {
        if (running != null) {
            LOG.info("{} stops its controllers", identity);
            running.close();
            running = null;
        }
    }

    @Override
    public void close() {
        if (campaign != null) {
            campaign.close();
        }
        stoppedLeading();
    }
}

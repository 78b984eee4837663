package io.k4j.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.apiserver.server.ApiServer;
import io.k4j.kubelet.node.NodeAddresses;
import io.k4j.kubelet.node.ServingCertificates;
import io.k4j.proxy.ServiceLoadBalancer;
import io.k4j.scheduler.SchedulerServer;
import io.k4j.scheduler.config.SchedulerConfiguration;
import io.k4j.store.Compactor;
import io.k4j.store.DatastoreEndpoint;
import io.k4j.store.Datastores;
import io.k4j.store.KeyValueStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code k4j server}: the all-in-one node. It opens the datastore, keeps its history compacted, and serves the
 * Kubernetes API; the other components join it as they are built ({@code --disable} turns them off).
 */
@Command(name = "server", description = "Run the k4j server: datastore, API server, scheduler, controller manager and this machine's node.")
final class ServerCommand implements java.util.concurrent.Callable<Integer> {

    /** Components that --disable may name. */
    static final Set<String> COMPONENTS = Set.of("apiserver", "scheduler", "controller-manager", "kubelet", "dns", "proxy",
            "servicelb", "ingress");

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where k4j keeps its state (default: /var/lib/k4j as root, ~/.k4j otherwise).")
    Path dataDir;

    @Option(names = "--bind-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the API server listens on (default: ${DEFAULT-VALUE}).")
    String bindAddress;

    @Option(names = "--https-listen-port", paramLabel = "PORT", defaultValue = "6443",
            description = "HTTPS port of the API server (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int httpsPort;

    @Option(names = "--write-kubeconfig", paramLabel = "FILE",
            description = "Where to write the admin kubeconfig (default: DATA_DIR/kubeconfig.yaml).")
    Path kubeconfig;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Shared secret node agents join with (default: generated into DATA_DIR/server/token).")
    String token;

    @Option(names = "--token-auth-file", paramLabel = "FILE",
            description = "Static bearer tokens, upstream's CSV format: token,user,uid,\"group1,group2\".")
    Path tokenAuthFile;

    @Option(names = "--service-cidr", paramLabel = "CIDR", defaultValue = "10.43.0.0/16",
            description = "Service cluster IP range (default: ${DEFAULT-VALUE}).")
    String serviceCidr;

    @Option(names = "--disable", split = ",", paramLabel = "NAME",
            description = "Components not to run: apiserver (then only the datastore runs), scheduler, controller-manager, "
                    + "kubelet (this machine's node), proxy (its service proxy), servicelb (LoadBalancer addresses), "
                    + "dns (the cluster DNS), ingress (the ingress controller).")
    List<String> disabled = new ArrayList<>();

    @Option(names = "--scheduler-config", paramLabel = "FILE",
            description = "KubeSchedulerConfiguration for the built-in scheduler (profiles, plugins, pluginConfig).")
    Path schedulerConfig;

    @Option(names = "--datastore-endpoint", paramLabel = "URL",
            description = "sqlite:///PATH/state.db (default: DATA_DIR/db/state.db) or etcd://HOST:PORT[,HOST:PORT...][/PREFIX].")
    String datastoreEndpoint;

    @Option(names = "--datastore-cafile", paramLabel = "FILE", description = "CA to verify etcd with (enables TLS).")
    Path datastoreCaFile;

    @Option(names = "--datastore-certfile", paramLabel = "FILE", description = "Client certificate for etcd.")
    Path datastoreCertFile;

    @Option(names = "--datastore-keyfile", paramLabel = "FILE", description = "Client key for etcd.")
    Path datastoreKeyFile;

    @Option(names = "--etcd-compaction-interval", paramLabel = "DURATION", defaultValue = "5m",
            converter = DurationConverter.class,
            description = "How much history to keep; compaction runs this often (default: ${DEFAULT-VALUE}).")
    Duration compactionInterval;

    @Mixin
    ControllerManagerOptions controllerManager = new ControllerManagerOptions();

    @Mixin
    SimulatedNodesOptions simulatedNodes = new SimulatedNodesOptions();

    @Mixin
    NodeOptions node = new NodeOptions();

    @Mixin
    IngressLauncher ingress = new IngressLauncher();

    static Path defaultDataDir() {
        boolean root = "root".equals(System.getProperty("user.name"));
        return root ? Path.of("/var/lib/k4j") : Path.of(System.getProperty("user.home"), ".k4j");
    }

    @Override
    public Integer call() throws Exception {
        for (String name : disabled) {
            if (!COMPONENTS.contains(name)) {
                throw new IllegalArgumentException("--disable: unknown component " + name + "; known: " + COMPONENTS);
            }
        }
        Path dir = dataDir != null ? dataDir : defaultDataDir();
        node.disableKubeProxy |= disabled.contains("proxy");
        boolean kubelet = !disabled.contains("kubelet") && !disabled.contains("apiserver");
        RuntimeChoice runtime = kubelet ? node.chooseRuntime() : null;
        String nodeName = kubelet ? node.nodeName() : null;
        DatastoreEndpoint endpoint = DatastoreEndpoint.parse(datastoreEndpoint, dir);
        KeyValueStore store = Datastores.open(endpoint, datastoreCaFile, datastoreCertFile, datastoreKeyFile);
        Compactor compactor = new Compactor(store).start(compactionInterval);
        List<AutoCloseable> running = new ArrayList<>();
        var out = spec.commandLine().getOut();
        out.printf("k4j server: datastore %s open at revision %d%n", describe(endpoint), store.currentRevision());
        if (!disabled.contains("apiserver")) {
            ApiServer apiServer = ApiServer.builder()
                    .dataDir(dir).store(store).listen(bindAddress, httpsPort).kubeconfig(kubeconfig)
                    .token(token).tokenAuthFile(tokenAuthFile).serviceCidr(serviceCidr)
                    .version(BuildInfo.load().version())
                    .start();
            running.add(apiServer);
            out.printf("k4j server: API server ready at %s%n", apiServer.url());
            out.printf("k4j server: kubeconfig written to %s%n", apiServer.kubeconfig());
            out.printf("export KUBECONFIG=%s%n", apiServer.kubeconfig());
            out.printf("k4j server: nodes join with: k4j agent --server %s --token-file %s%n", apiServer.url(),
                    dir.resolve("server").resolve("node-token"));
            if (!disabled.contains("scheduler")) {
                running.add(startScheduler(apiServer.kubeconfig()));
                out.println("k4j server: scheduler started");
            }
            if (!disabled.contains("controller-manager")) {
                running.add(controllerManager.start(apiServer.kubeconfig(), true));
                out.println("k4j server: controller manager started");
            }
            if (kubelet && !runtime.isSimulated()) {
                Path tls = dir.resolve("server").resolve("tls");
                running.add(KubeletLauncher.start(node, runtime, Clients.fromKubeconfig(apiServer.kubeconfig()), dir,
                        ServingCertificates.fromClusterCa(tls, java.time.Instant.now()),
                        io.k4j.pki.Pem.readCertificate(tls.resolve("ca.crt")), KubeletLauncher.SERVER_ROLE_LABELS));
                KubeletLauncher.announce(out, "k4j server", nodeName, runtime);
            }
            startServiceNetworking(apiServer.kubeconfig(), running, out);
            boolean simulatedMachine = kubelet && runtime.isSimulated();
            if (simulatedNodes.enabled() || simulatedMachine) {
                running.add(simulatedNodes.start(Clients.fromKubeconfig(apiServer.kubeconfig()),
                        simulatedMachine ? List.of(nodeName) : List.of()));
                if (simulatedMachine) {
                    KubeletLauncher.announce(out, "k4j server", nodeName, runtime);
                }
                if (simulatedNodes.enabled()) {
                    out.printf("k4j server: %d simulated nodes registered%n", simulatedNodes.count);
                }
            }
        }
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stopAll = () -> {
            for (AutoCloseable component : running.reversed()) {
                try {
                    component.close();
                } catch (Exception e) {
                    System.err.println("k4j: stopping " + component + " failed: " + e);
                }
            }
            compactor.close();
            store.close();
            stopped.countDown();
        };
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(stopAll, "k4j-shutdown"));
        } catch (IllegalStateException shuttingDown) {
            // Stopped (SIGTERM, Ctrl-C) while still starting: stop what has started, quietly, as the hook would.
            stopAll.run();
            return 0;
        }
        stopped.await();
        return 0;
    }

    /**
     * What gives Services their addresses and names, each a client of this server: LoadBalancer addresses, the
     * cluster DNS and the ingress controller (the service proxy runs with the node). DNS and ingress need their
     * ports; without them the server runs on and says so.
     */
    private void startServiceNetworking(Path kubeconfig, List<AutoCloseable> running, java.io.PrintWriter out)
            throws IOException, InterruptedException {
        String nodeIp = NodeAddresses.pick(node.nodeIp);
        if (!disabled.contains("servicelb")) {
            KubernetesClient client = Clients.fromKubeconfig(kubeconfig);
            ServiceLoadBalancer balancer = new ServiceLoadBalancer(client, () -> List.of(nodeIp)).start();
            running.add(() -> {
                balancer.close();
                client.close();
            });
        }
        if (!disabled.contains("dns")) {
            AutoCloseable dns = ClusterDnsLauncher.start(Clients.fromKubeconfig(kubeconfig), nodeIp, node.clusterDns,
                    node.resolvConf, out);
            if (dns != null) {
                running.add(dns);
            }
        }
        if (!disabled.contains("ingress")) {
            AutoCloseable controller = ingress.start(Clients.fromKubeconfig(kubeconfig), nodeIp, out);
            if (controller != null) {
                running.add(controller);
            }
        }
    }

    /** The built-in scheduler, a client of this server through the admin kubeconfig, leader-elected like any other. */
    private AutoCloseable startScheduler(Path kubeconfig) throws IOException, InterruptedException {
        SchedulerConfiguration configuration = schedulerConfig == null ? SchedulerConfiguration.defaults()
                : SchedulerConfiguration.load(schedulerConfig);
        KubernetesClient client = Clients.fromKubeconfig(kubeconfig);
        SchedulerServer scheduler = SchedulerServer.builder().client(client).configuration(configuration).start();
        return () -> {
            scheduler.close();
            client.close();
        };
    }

    private static String describe(DatastoreEndpoint endpoint) {
        return switch (endpoint) {
            case DatastoreEndpoint.Sqlite sqlite -> "sqlite " + sqlite.file();
            case DatastoreEndpoint.Etcd etcd -> "etcd " + etcd.members();
        };
    }
}

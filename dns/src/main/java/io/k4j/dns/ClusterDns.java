package io.k4j.dns;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k4j.dns.forward.CoalescingForwarder;
import io.k4j.dns.forward.ResolvConf;
import io.k4j.dns.forward.ResponseCache;
import io.k4j.dns.forward.UpstreamForwarder;
import io.k4j.dns.kube.IndexFeeder;
import io.k4j.dns.server.QueryProcessor;
import io.k4j.dns.server.TcpServer;
import io.k4j.dns.server.UdpServer;
import io.k4j.dns.zone.ClusterIndex;
import io.k4j.dns.zone.ClusterZone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster DNS server: answers the cluster zone (Services, endpoints, pods) from informers on Services and
 * EndpointSlices, and forwards other names to the node's resolvers, with a cache. Listens on UDP and TCP on each bind
 * address. Build with {@link #builder()}, then {@link #start()}; {@link #close()} stops listeners and informers.
 */
public final class ClusterDns implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterDns.class);

    private final Builder config;
    private final ClusterIndex index;
    private final List<InetSocketAddress> upstreams;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<InetSocketAddress> udpAddresses = new ArrayList<>();
    private final List<InetSocketAddress> tcpAddresses = new ArrayList<>();
    private ResponseCache cache;

    private ClusterDns(Builder config) {
        this.config = config;
        this.index = config.index != null ? config.index : new ClusterIndex();
        List<InetSocketAddress> candidates = config.upstreams != null ? config.upstreams : ResolvConf.nodeUpstreams();
        this.upstreams = candidates.stream().filter(upstream -> !isSelf(upstream, config)).toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts informers (waiting for their first lists) and the UDP and TCP listeners. */
    public synchronized ClusterDns start() throws IOException {
        try {
            if (config.client != null) {
                running.add(new IndexFeeder(config.client, index).start());
            }
            ClusterZone zone = new ClusterZone(config.clusterDomain, index, config.ttl,
                    config.serviceAddress == null ? List.of() : List.of(config.serviceAddress));
            cache = new ResponseCache(config.clock, config.cacheSize, config.maxCacheTtl);
            UpstreamForwarder forwarder = new UpstreamForwarder(upstreams, config.upstreamTimeout);
            running.add(forwarder);
            if (upstreams.isEmpty()) {
                log.warn("cluster DNS has no upstream resolver: names outside {} get SERVFAIL", config.clusterDomain);
            }
            QueryProcessor processor = new QueryProcessor(zone, cache, new CoalescingForwarder(forwarder));
            for (InetAddress address : config.bindAddresses) {
                listen(address, processor);
            }
            log.info("cluster DNS for {} on UDP {} and TCP {}, forwarding to {}", config.clusterDomain, udpAddresses,
                    tcpAddresses, upstreams);
            return this;
        } catch (IOException | RuntimeException failure) {
            close();
            throw failure;
        }
    }

    /** UDP then TCP on the same port; with port 0, the port UDP got (retried if TCP finds it taken). */
    private void listen(InetAddress address, QueryProcessor processor) throws IOException {
        int attempts = config.port == 0 ? 20 : 1;
        for (int attempt = 1; ; attempt++) {
            UdpServer udp = new UdpServer(new InetSocketAddress(address, config.port), processor, config.udpThreads);
            int port = udp.address().getPort();
            TcpServer tcp;
            try {
                tcp = new TcpServer(new InetSocketAddress(address, port), processor, config.tcpIdleTimeout);
            } catch (IOException taken) {
                udp.close();
                if (attempt >= attempts) {
                    throw taken;
                }
                continue;
            }
            running.add(udp.start());
            running.add(tcp.start());
            udpAddresses.add(udp.address());
            tcpAddresses.add(tcp.address());
            return;
        }
    }

    /** The UDP address of the first listener (its port is the TCP port too). */
    public InetSocketAddress address() {
        return udpAddresses.getFirst();
    }

    public List<InetSocketAddress> upstreams() {
        return upstreams;
    }

    public ClusterIndex index() {
        return index;
    }

    ResponseCache cache() {
        return cache;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable part : running.reversed()) {
            try {
                part.close();
            } catch (Exception failure) {
                log.warn("stopping cluster DNS: {}", failure.toString());
            }
        }
        running.clear();
    }

    /** Forwarding to an address we listen on would loop (a free port, 0, is nobody's upstream yet). */
    static boolean isSelf(InetSocketAddress upstream, Builder config) {
        InetAddress address = upstream.getAddress();
        if (config.serviceAddress != null && address.equals(config.serviceAddress)) {
            return true;
        }
        if (upstream.getPort() != config.port) {
            return false;
        }
        for (InetAddress bound : config.bindAddresses) {
            if (bound.equals(address) || (bound.isAnyLocalAddress() && isLocal(address))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLocal(InetAddress address) {
        try {
            return address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException unknown) {
            return false;
        }
    }

    /** Configuration; every option has the default a node uses. */
    public static final class Builder {

        private KubernetesClient client;
        private ClusterIndex index;
        private List<InetAddress> bindAddresses = List.of(wildcard());
        private int port = 53;
        private String clusterDomain = "cluster.local";
        private List<InetSocketAddress> upstreams;
        private InetAddress serviceAddress;
        private int cacheSize = 10_000;
        private Duration maxCacheTtl = Duration.ofHours(1);
        private Clock clock = Clock.systemUTC();
        private Duration ttl = Duration.ofSeconds(5);
        private Duration upstreamTimeout = Duration.ofSeconds(2);
        private Duration tcpIdleTimeout = Duration.ofSeconds(10);
        private int udpThreads = Math.max(2, Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        /** The API client whose informers feed the records; without one, only {@link #index} is served. */
        public Builder client(KubernetesClient client) {
            this.client = client;
            return this;
        }

        /** A prepared index (benchmarks, tests); the informers, if any, write into it. */
        public Builder index(ClusterIndex index) {
            this.index = index;
            return this;
        }

        public Builder bindAddresses(List<InetAddress> addresses) {
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("cluster DNS needs an address to listen on");
            }
            this.bindAddresses = List.copyOf(addresses);
            return this;
        }

        public Builder bindAddress(InetAddress address) {
            return bindAddresses(List.of(address));
        }

        /** UDP and TCP port, 53 by default; 0 picks a free one (tests). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("invalid DNS port " + port);
            }
            this.port = port;
            return this;
        }

        public Builder clusterDomain(String clusterDomain) {
            this.clusterDomain = Objects.requireNonNull(clusterDomain);
            return this;
        }

        /** Resolvers for names outside the cluster zone; by default the nameservers of the node's resolv.conf. */
        public Builder upstreams(List<InetSocketAddress> upstreams) {
            this.upstreams = List.copyOf(upstreams);
            return this;
        }

        /** The DNS service's address (10.43.0.10): ns.dns.ZONE answers it, and it is never an upstream. */
        public Builder serviceAddress(InetAddress serviceAddress) {
            this.serviceAddress = serviceAddress;
            return this;
        }

        public Builder cacheSize(int entries) {
            this.cacheSize = entries;
            return this;
        }

        public Builder maxCacheTtl(Duration maxCacheTtl) {
            this.maxCacheTtl = maxCacheTtl;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** TTL of cluster records, 5 s like CoreDNS's kubernetes plugin. */
        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        public Builder upstreamTimeout(Duration timeout) {
            this.upstreamTimeout = timeout;
            return this;
        }

        public Builder tcpIdleTimeout(Duration timeout) {
            this.tcpIdleTimeout = timeout;
            return this;
        }

        public Builder udpThreads(int threads) {
            this.udpThreads = Math.max(1, threads);
            return this;
        }

        public ClusterDns build() {
            return new ClusterDns(this);
        }

        private static InetAddress wildcard() {
            try {
                return InetAddress.getByAddress(new byte[4]);
            } catch (IOException impossible) {
                throw new UncheckedIOException(impossible);
            }
        }
    }
}

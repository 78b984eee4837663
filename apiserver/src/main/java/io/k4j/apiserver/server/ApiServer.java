package io.k4j.apiserver.server;

import io.k4j.apiserver.admission.AdmissionChain;
import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.auth.Authenticator;
import io.k4j.apiserver.auth.Authorizer;
import io.k4j.apiserver.auth.ServiceAccountTokens;
import io.k4j.apiserver.auth.TokenFile;
import io.k4j.apiserver.auth.UserInfo;
import io.k4j.apiserver.crd.CustomResourceDefinitions;
import io.k4j.apiserver.endpoints.ApiHandler;
import io.k4j.apiserver.proxy.KubeletConnector;
import io.k4j.apiserver.endpoints.ApiMetrics;
import io.k4j.apiserver.endpoints.NodeJoin;
import io.k4j.apiserver.http.HttpServer;
import io.k4j.apiserver.registry.PriorityClasses;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import io.k4j.apiserver.services.ServiceAllocations;
import io.k4j.apiserver.services.ServiceCidr;
import io.k4j.apiserver.storage.ObjectStorage;
import io.k4j.apiserver.watch.WatchCache;
import io.k4j.store.KeyValueStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API server: certificates and kubeconfig, the registry, storage on the given store, the watch cache, the
 * built-in namespaces and the `kubernetes` service, and the HTTPS listener. Build with {@link #builder()}.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final HttpServer http;
    private final WatchCache cache;
    private final CustomResourceDefinitions crds;
    private final Path kubeconfig;
    private final String url;

    private ApiServer(HttpServer http, WatchCache cache, CustomResourceDefinitions crds, Path kubeconfig, String url) {
        this.http = http;
        this.cache = cache;
        this.crds = crds;
        this.kubeconfig = kubeconfig;
        this.url = url;
    }

    public static Builder builder() {
        return new Builder();
    }

    public InetSocketAddress address() {
        return http.address();
    }

    public String url() {
        return url;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void close() {
        http.close();
        crds.close();
        cache.close();
    }

    /** The server's settings; k3s's flag names in the comments. */
    public static final class Builder {
        private Path dataDir;
        private KeyValueStore store;
        private String bindAddress = "127.0.0.1";
        private int port = 6443;
        private Path kubeconfig;
        private String token;
        private Path tokenAuthFile;
        private String serviceCidr = ServiceCidr.DEFAULT;
        private InstantSource clock = InstantSource.system();
        private String version = "dev";
        private int watchCacheEvents = 10_000;

        /** --data-dir: certificates and the token live under DIR/server. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder store(KeyValueStore kv) {
            this.store = kv;
            return this;
        }

        /** --bind-address and --https-listen-port (0 picks a free port). */
        public Builder listen(String address, int listenPort) {
            this.bindAddress = address;
            this.port = listenPort;
            return this;
        }

        /** --write-kubeconfig (default DATA_DIR/kubeconfig.yaml). */
        public Builder kubeconfig(Path file) {
            this.kubeconfig = file;
            return this;
        }

        /** --token: the shared secret agents join with (default: generated and kept in DATA_DIR/server/token). */
        public Builder token(String joinToken) {
            this.token = joinToken;
            return this;
        }

        /** --token-auth-file: extra static tokens, upstream's CSV format. */
        public Builder tokenAuthFile(Path file) {
            this.tokenAuthFile = file;
            return this;
        }

        /** --service-cidr. */
        public Builder serviceCidr(String cidr) {
            this.serviceCidr = cidr;
            return this;
        }

        public Builder clock(InstantSource source) {
            this.clock = source;
            return this;
        }

        public Builder version(String k4jVersion) {
            this.version = k4jVersion;
            return this;
        }

        public Builder watchCacheEvents(int events) {
            this.watchCacheEvents = events;
            return this;
        }

        public ApiServer start() throws IOException, InterruptedException {
            Path serverDir = dataDir.resolve("server");
            ClusterCertificates certificates = ClusterCertificates.loadOrCreate(serverDir.resolve("tls"), bindAddress,
                    clock.instant());
            String joinToken = token != null ? token : readOrCreateToken(serverDir.resolve("token"));
            Map<String, UserInfo> tokens = new HashMap<>();
            if (tokenAuthFile != null) {
                tokens.putAll(TokenFile.read(tokenAuthFile));
            }
            UserInfo nodeUser = new UserInfo("k4j-node", "", List.of("system:nodes", "system:bootstrappers"));
            tokens.put(joinToken, nodeUser);
            int separator = joinToken.indexOf("::");
            if (joinToken.startsWith("K10") && separator > 0 && joinToken.indexOf(':', separator + 2) > 0) {
                tokens.put(joinToken.substring(joinToken.indexOf(':', separator + 2) + 1), nodeUser); // its secret
            }
            // k3s's full token form names the CA too, so a joining node can check the CA it is served.
            byte[] caBundle = Files.readAllBytes(certificates.caFile());
            String fullToken = fullToken(caBundle, joinToken);
            tokens.put(fullToken, nodeUser);
            writeNodeToken(serverDir.resolve("node-token"), fullToken);

            ResourceRegistry registry = ResourceRegistry.withBuiltins();
            CustomResourceDefinitions.install(registry, clock);
            WatchCache[] cacheHolder = new WatchCache[1];
            ApiMetrics metrics = new ApiMetrics(() -> cacheHolder[0] == null ? 0 : cacheHolder[0].watcherCount());
            KeyValueStore instrumented = new InstrumentedStore(store, metrics);
            ObjectStorage storage = new ObjectStorage(instrumented, registry, clock, new Random(new SecureRandom().nextLong()));
            ServiceAllocations allocations = new ServiceAllocations(instrumented, ServiceCidr.of(serviceCidr));
            ResourceDefinition services = registry.require("", "v1", "services");
            allocations.repair(instrumented, services);
            storage.addHook(allocations);
            AdmissionChain.defaults().forEach(storage::addAdmission);

            WatchCache cache = new WatchCache(instrumented, watchCacheEvents);
            cache.start();
            cacheHolder[0] = cache;
            storage.useCache(cache);
            bootstrap(storage, registry, allocations);
            CustomResourceDefinitions crds = new CustomResourceDefinitions(registry, storage, cache, clock);
            crds.start();

            String advertised = bindAddress.equals("0.0.0.0") ? "127.0.0.1" : bindAddress;
            boolean[] ready = {false};
            ObjectNode versionInfo = ApiHandler.versionInfo(version);
            ServiceAccountTokens serviceAccountTokens =
                    serviceAccountTokens(serverDir.resolve("tls"), registry, storage);
            ApiHandler handler = new ApiHandler(new Authenticator(tokens, serviceAccountTokens),
                    Authorizer.chain(List.of(Authorizer.AUTHENTICATED)), registry, storage, cache, metrics,
                    advertised + ":" + port, versionInfo, () -> ready[0], clock, serviceAccountTokens,
                    new KubeletConnector(certificates.kubeletClient(), certificates.authority().certificate().certificate()))
                    .nodeJoin(new NodeJoin(certificates.authority(), caBundle, clock));
            HttpServer http = HttpServer.builder().bind(bindAddress, port).ssl(certificates.serverContext())
                    .handler(handler).start();
            int boundPort = http.address().getPort();
            String url = "https://" + (advertised.contains(":") ? "[" + advertised + "]" : advertised) + ":" + boundPort;
            Path kubeconfigFile = kubeconfig != null ? kubeconfig : dataDir.resolve("kubeconfig.yaml");
            Kubeconfig.write(kubeconfigFile, url, certificates.authority().certificate().certificate(),
                    certificates.admin());
            ready[0] = true;
            LOG.info("API server listening on {}", url);
            return new ApiServer(http, cache, crds, kubeconfigFile, url);
        }

        /** Service-account tokens signed with DIR/service.key; they name objects that must still exist. */
        private ServiceAccountTokens serviceAccountTokens(Path dir, ResourceRegistry registry, ObjectStorage storage)
                throws IOException {
            Map<String, ResourceDefinition> kinds = Map.of(
                    "ServiceAccount", registry.require("", "v1", "serviceaccounts"),
                    "Pod", registry.require("", "v1", "pods"),
                    "Secret", registry.require("", "v1", "secrets"));
            return new ServiceAccountTokens(ServiceAccountTokens.loadOrCreateKeys(dir),
                    ServiceAccountTokens.DEFAULT_ISSUER, List.of(ServiceAccountTokens.DEFAULT_ISSUER), clock,
                    (kind, namespace, name) -> storage.find(kinds.get(kind), namespace, name)
                            .map(object -> object.path("metadata").path("uid").asString("")));
        }

        /** K10 + the CA bundle's sha256 + "::server:" + the secret (a secret already in that form stays as it is). */
        static String fullToken(byte[] caBundle, String secret) {
            if (secret.startsWith("K10") && secret.contains("::")) {
                return secret;
            }
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(caBundle);
                return "K10" + HexFormat.of().formatHex(digest) + "::server:" + secret;
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("no SHA-256 in this JVM", e);
            }
        }

        /** DATA_DIR/server/node-token: the full join token for agents (k3s keeps one there too). */
        private static void writeNodeToken(Path file, String fullToken) throws IOException {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, fullToken + "\n", StandardCharsets.UTF_8);
        }

        private static String readOrCreateToken(Path file) throws IOException {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            String created = "K10" + HexFormat.of().formatHex(secret);
            Files.createDirectories(file.getParent());
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, created + "\n", StandardCharsets.UTF_8);
            return created;
        }

        /**
         * The namespaces every cluster has, the `kubernetes` service on the first service IP, and the system
         * PriorityClasses.
         */
        private void bootstrap(ObjectStorage storage, ResourceRegistry registry, ServiceAllocations allocations) {
            ResourceDefinition namespaces = registry.require("", "v1", "namespaces");
            for (String name : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
                createIfMissing(storage, namespaces, "", "{\"metadata\":{\"name\":\"" + name + "\"}}");
            }
            ServiceCidr cidr = allocations.cidr();
            createIfMissing(storage, registry.require("", "v1", "services"), "default", """
                    {"metadata":{"name":"kubernetes","labels":{"component":"apiserver","provider":"kubernetes"}},
                     "spec":{"clusterIP":"%s","ports":[{"name":"https","port":443,"protocol":"TCP","targetPort":%d}],
                             "sessionAffinity":"None","type":"ClusterIP"}}
                    """.formatted(cidr.format(cidr.firstUsable()), port == 0 ? 6443 : port));
            ResourceDefinition priorityClasses = registry.require("scheduling.k8s.io", "v1", "priorityclasses");
            for (PriorityClasses.SystemClass systemClass : PriorityClasses.SYSTEM) {
                createIfMissing(storage, priorityClasses, "", systemClass.toObject());
            }
        }

        private static void createIfMissing(ObjectStorage storage, ResourceDefinition definition, String namespace,
                                            String json) {
            createIfMissing(storage, definition, namespace, Json.parseObject(json.getBytes(StandardCharsets.UTF_8)));
        }

        private static void createIfMissing(ObjectStorage storage, ResourceDefinition definition, String namespace,
                                            ObjectNode object) {
            if (storage.find(definition, namespace, object.path("metadata").path("name").asString()).isPresent()) {
                return;
            }
            try {
                storage.create(definition, namespace, object, false);
            } catch (ApiException e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
        }
    }
}

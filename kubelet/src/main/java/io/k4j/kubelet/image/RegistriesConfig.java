package io.k4j.kubelet.image;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Where and how to pull, in the format of k3s' registries.yaml:
 *
 * <pre>
 * mirrors:
 *   docker.io:
 *     endpoint: ["http://127.0.0.1:5000"]
 * configs:
 *   "registry.example.com:5000":
 *     auth: {username: u, password: p}
 *     tls: {insecure_skip_verify: true}
 * </pre>
 *
 * A registry's mirrors are tried in order, then the registry itself; the {@code "*"} mirror entry applies to
 * registries without their own. Only the host and port of a mirror endpoint are used (no path prefixes).
 */
public final class RegistriesConfig {
    private static final RegistriesConfig EMPTY = new RegistriesConfig(Map.of(), Map.of());

    private final Map<String, List<String>> mirrors;
    private final Map<String, HostConfig> configs;

    /** The settings for one registry host. */
    record HostConfig(String username, String password, boolean insecureSkipVerify) {
    }

    /**
     * One place to pull from: a host (and port), whether to skip TLS verification (which lets skopeo use plain
     * http), and the configured credentials for it, if any.
     */
    public record Endpoint(String host, boolean insecure, ImageService.RegistryCredential credential) {
        @Override
        public String toString() {
            return host; // never the credential
        }
    }

    private RegistriesConfig(Map<String, List<String>> mirrors, Map<String, HostConfig> configs) {
        this.mirrors = mirrors;
        this.configs = configs;
    }

    public static RegistriesConfig empty() {
        return EMPTY;
    }

    /** Reads a registries.yaml; a missing file is an empty config. */
    public static RegistriesConfig load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses registries.yaml text; {@code source} names it in error messages. */
    public static RegistriesConfig parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAMLMapper.builder().build().readTree(yaml);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return EMPTY;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(source + ": expected a mapping with mirrors and configs");
        }
        Map<String, List<String>> mirrors = new LinkedHashMap<>();
        for (var entry : root.path("mirrors").properties()) {
            List<String> endpoints = new ArrayList<>();
            for (JsonNode endpoint : entry.getValue().path("endpoint")) {
                endpoints.add(endpoint.asString());
            }
            mirrors.put(entry.getKey(), List.copyOf(endpoints));
        }
        Map<String, HostConfig> configs = new LinkedHashMap<>();
        for (var entry : root.path("configs").properties()) {
            JsonNode auth = entry.getValue().path("auth");
            String username = text(auth, "username");
            String password = text(auth, "password");
            String encoded = text(auth, "auth");
            if (username == null && encoded != null) {
                String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException(source + ": configs." + entry.getKey()
                            + ".auth.auth is not base64 of user:password");
                }
                username = decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            }
            boolean insecure = entry.getValue().path("tls").path("insecure_skip_verify").asBoolean(false);
            configs.put(hostOf(entry.getKey()), new HostConfig(username, password, insecure));
        }
        return new RegistriesConfig(Map.copyOf(mirrors), Map.copyOf(configs));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asString();
    }

    /** The endpoints to try for a registry, mirrors first, the registry itself last. */
    public List<Endpoint> endpoints(String registry) {
        List<String> mirrorUrls = mirrors.containsKey(registry) ? mirrors.get(registry) : mirrors.getOrDefault("*", List.of());
        List<Endpoint> endpoints = new ArrayList<>();
        for (String url : mirrorUrls) {
            String host = hostOf(url);
            if (host.equals(registry)) {
                continue; // listed as its own mirror: it is tried last anyway
            }
            boolean plainHttp = url.startsWith("http://");
            endpoints.add(endpoint(host, plainHttp));
        }
        endpoints.add(endpoint(registry, false));
        return endpoints;
    }

    private Endpoint endpoint(String host, boolean plainHttp) {
        HostConfig config = configs.get(host);
        boolean insecure = plainHttp || ImageReference.isLoopback(host) || (config != null && config.insecureSkipVerify());
        ImageService.RegistryCredential credential = config != null && config.username() != null
                ? new ImageService.RegistryCredential(host, config.username(), config.password()) : null;
        return new Endpoint(host, insecure, credential);
    }

    /** {@code https://host:port/v2} → {@code host:port}; a bare host stays as it is. */
    static String hostOf(String endpoint) {
        String value = endpoint.strip();
        if (!value.contains("://")) {
            value = "https://" + value;
        }
        URI uri = URI.create(value);
        String host = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return uri.getPort() >= 0 ? host + ":" + uri.getPort() : host;
    }
}

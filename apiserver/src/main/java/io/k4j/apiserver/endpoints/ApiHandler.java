package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.auth.Authenticator;
import io.k4j.apiserver.auth.Authorizer;
import io.k4j.apiserver.auth.UserInfo;
import io.k4j.apiserver.crd.CustomResources;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.http.Exchange;
import io.k4j.apiserver.http.RequestHandler;
import io.k4j.apiserver.openapi.FieldValidation;
import io.k4j.apiserver.openapi.OpenApiDocuments;
import io.k4j.apiserver.openapi.OpenApiEndpoint;
import io.k4j.apiserver.proxy.KubeletConnector;
import io.k4j.apiserver.proxy.PodStreams;
import io.k4j.apiserver.registry.ResourceRegistry;
import io.k4j.apiserver.storage.ObjectStorage;
import io.k4j.apiserver.watch.WatchCache;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The request chain: authentication, then the public endpoints (version, health), then authorization, then
 * discovery, metrics and resources. Every failure becomes a {@code Status}; nothing else reaches the client.
 */
public final class ApiHandler implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Set<String> PUBLIC_PATHS = Set.of("/version", "/version/", "/healthz", "/livez", "/readyz");

    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final ResourceRegistry registry;
    private final Discovery discovery;
    private final ResourceEndpoint resources;
    private final AuthApis authApis;
    private final ApiMetrics metrics;
    private final OpenApiEndpoint openApi;
    private final ObjectNode version;
    private final BooleanSupplier ready;
    private volatile NodeJoin nodeJoin;

    public ApiHandler(Authenticator authenticator, Authorizer authorizer, ResourceRegistry registry,
                      ObjectStorage storage, WatchCache cache, ApiMetrics metrics, String serverAddress,
                      ObjectNode version, BooleanSupplier ready, InstantSource clock,
                      io.k4j.apiserver.auth.ServiceAccountTokens serviceAccountTokens,
                      KubeletConnector kubelets) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.registry = registry;
        this.discovery = new Discovery(registry, serverAddress);
        // documents and field validation take custom resources' schemas from their CRDs
        this.openApi = new OpenApiEndpoint(new OpenApiDocuments(registry, CustomResources.openApiSchemas(registry))
                .warmUpInBackground());
        this.resources = new ResourceEndpoint(storage, cache, clock, new FieldValidation(openApi.documents()),
                kubelets == null ? null : new PodStreams(storage,
                        registry.require("", "v1", "nodes"), kubelets));
        this.authApis = new AuthApis(authenticator, authorizer, storage, registry, serviceAccountTokens, clock);
        this.metrics = metrics;
        this.version = version;
        this.ready = ready;
    }

    @Override
    public void handle(ApiRequest request, Exchange exchange) {
        long start = System.nanoTime();
        String verb = request.method().toLowerCase(java.util.Locale.ROOT);
        String resource = "";
        int code = 200;
        try {
            UserInfo user = authenticator.authenticate(request);
            if (user == null) {
                throw ApiException.unauthorized();
            }
            ApiRequest authenticated = request.withUser(user);
            String path = request.path();
            if (nodeJoin != null && nodeJoin.handles(path)) {
                nodeJoin.handle(authenticated, exchange);
                return;
            }
            if (PUBLIC_PATHS.contains(path) || path.startsWith("/healthz/") || path.startsWith("/livez/")
                    || path.startsWith("/readyz/")) {
                servePublic(authenticated, exchange, path);
                return;
            }
            if (user.isAnonymous()) {
                throw ApiException.unauthorized();
            }
            ResourcePath resourcePath = ResourcePath.parse(path, registry);
            if (resourcePath != null) {
                verb = ResourceEndpoint.verb(request, resourcePath);
                resource = resourcePath.definition().plural();
                authorize(user, verb, resourcePath, path);
                if (authApis.handles(resourcePath)) {
                    authApis.handle(authenticated, exchange, resourcePath, verb);
                    return;
                }
                resources.handle(authenticated, exchange, resourcePath, verb);
                return;
            }
            authorize(user, verb, null, path);
            if (path.equals("/metrics")) {
                exchange.send(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape(), Map.of());
            } else if (!openApi.handle(authenticated, exchange) && !discovery.handle(authenticated, exchange)) {
                throw new ApiException(404, "NotFound", "the server could not find the requested resource");
            }
        } catch (ApiException e) {
            code = e.code();
            Responses.error(exchange, e);
        } catch (RuntimeException e) {
            code = 500;
            LOG.error("{} {} failed", request.method(), request.path(), e);
            Responses.error(exchange, ApiException.internal(e.getClass().getSimpleName()));
        } finally {
            metrics.observeRequest(verb.toUpperCase(java.util.Locale.ROOT), resource, code, System.nanoTime() - start);
        }
    }

    /** Serves the endpoints nodes join with (see {@link NodeJoin}). */
    public ApiHandler nodeJoin(NodeJoin endpoints) {
        this.nodeJoin = endpoints;
        return this;
    }

    private void authorize(UserInfo user, String verb, ResourcePath path, String requestPath) {
        Authorizer.Attributes attributes = path == null
                ? new Authorizer.Attributes(user, verb, "", "", "", "", "", requestPath)
                : new Authorizer.Attributes(user, verb, path.definition().group(), path.definition().plural(),
                        path.subresource(), path.namespace(), path.name(), requestPath);
        if (authorizer.authorize(attributes) != Authorizer.Decision.ALLOW) {
            throw ApiException.forbidden("User \"" + user.name() + "\" cannot " + verb
                    + (path == null ? " path \"" + requestPath + "\"" : " resource \"" + path.definition().plural() + "\""));
        }
    }

    private void servePublic(ApiRequest request, Exchange exchange, String path) {
        if (path.startsWith("/version")) {
            Responses.json(exchange, 200, version);
            return;
        }
        boolean ok = !path.startsWith("/readyz") || ready.getAsBoolean();
        String body = ok ? "ok" : "[-]datastore failed: not ready\nreadyz check failed";
        exchange.send(ok ? 200 : 500, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** The /version answer kubectl's dispatcher reads to pick its binary. */
    public static ObjectNode versionInfo(String k4jVersion) {
        ObjectNode info = Json.object();
        info.put("major", "1");
        info.put("minor", "32");
        info.put("gitVersion", "v1.32.0+k4j");
        info.put("gitCommit", "k4j-" + k4jVersion);
        info.put("gitTreeState", "clean");
        info.put("buildDate", "2026-11-26T00:00:00Z");
        info.put("goVersion", "java" + Runtime.version().feature());
        info.put("compiler", "javac");
        info.put("platform", "linux/amd64");
        return info;
    }
}

package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.auth.Authenticator;
import io.k4j.apiserver.auth.Authorizer;
import io.k4j.apiserver.auth.ServiceAccountTokens;
import io.k4j.apiserver.auth.UserInfo;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.http.Exchange;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import io.k4j.apiserver.storage.ObjectMeta;
import io.k4j.apiserver.storage.ObjectStorage;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The authentication.k8s.io and authorization.k8s.io reviews (SelfSubjectReview, TokenReview, SelfSubjectAccessReview,
 * SelfSubjectRulesReview, SubjectAccessReview, LocalSubjectAccessReview), answered from the authenticator and the
 * authorizer chain and never stored, and the TokenRequest subresource serviceaccounts/NAME/token.
 */
final class AuthApis {

    private static final String AUTHENTICATION = "authentication.k8s.io";
    private static final String AUTHORIZATION = "authorization.k8s.io";

    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final ObjectStorage storage;
    private final ResourceRegistry registry;
    private final ServiceAccountTokens tokens;
    private final InstantSource clock;

    AuthApis(Authenticator authenticator, Authorizer authorizer, ObjectStorage storage, ResourceRegistry registry,
             ServiceAccountTokens tokens, InstantSource clock) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.storage = storage;
        this.registry = registry;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Whether this class answers the request: a review, or a service account's token subresource. */
    boolean handles(ResourcePath path) {
        ResourceDefinition definition = path.definition();
        if (definition.group().isEmpty() && definition.plural().equals("serviceaccounts")) {
            return path.subresource().equals("token");
        }
        return (definition.group().equals(AUTHENTICATION) || definition.group().equals(AUTHORIZATION))
                && definition.verbs().equals(List.of("create"));
    }

    void handle(ApiRequest request, Exchange exchange, ResourcePath path, String verb) {
        ResourceDefinition definition = path.definition();
        boolean token = path.subresource().equals("token");
        if (!verb.equals("create") || (!token && !path.name().isEmpty())) {
            throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        ObjectNode body = Bodies.object(request);
        String kind = token ? "TokenRequest" : definition.kind();
        String apiVersion = token ? AUTHENTICATION + "/v1" : definition.apiVersion();
        checkType(body, apiVersion, kind);
        body.put("apiVersion", apiVersion);
        body.put("kind", kind);
        ObjectNode spec = Json.child(body, "spec");
        ObjectNode status = body.putObject("status");
        UserInfo user = request.user();
        switch (kind) {
            case "TokenRequest" -> tokenRequest(request, path, body, spec, status);
            case "SelfSubjectReview" -> {
                body.remove("spec");
                userInfo(status.putObject("userInfo"), user);
            }
            case "TokenReview" -> tokenReview(spec, status);
            case "SelfSubjectAccessReview" -> accessReview(user, spec, status, null);
            case "SubjectAccessReview" -> accessReview(subject(spec), spec, status, null);
            case "LocalSubjectAccessReview" -> accessReview(subject(spec), spec, status, path.namespace());
            case "SelfSubjectRulesReview" -> rulesReview(user, spec, status);
            default -> throw ApiException.methodNotAllowed("the server does not allow this method on the requested "
                    + "resource");
        }
        Responses.json(exchange, 201, body);
    }

    private static void checkType(ObjectNode body, String apiVersion, String kind) {
        String sentKind = body.path("kind").asString("");
        String sentVersion = body.path("apiVersion").asString("");
        if (!sentKind.isEmpty() && !sentKind.equals(kind)
                || !sentVersion.isEmpty() && !sentVersion.equals(apiVersion)) {
            throw ApiException.badRequest("the API version in the data (" + sentVersion + ") and kind (" + sentKind
                    + ") do not match the expected " + apiVersion + " " + kind);
        }
    }

    // ---- authorization

    private void accessReview(UserInfo user, ObjectNode spec, ObjectNode status, String localNamespace) {
        JsonNode resource = spec.path("resourceAttributes");
        JsonNode nonResource = spec.path("nonResourceAttributes");
        String kind = localNamespace != null ? "LocalSubjectAccessReview" : "SubjectAccessReview";
        if (resource.isObject() == nonResource.isObject()) {
            throw ApiException.invalid(AUTHORIZATION, kind, "", List.of(new Cause("FieldValueRequired",
                    "exactly one of nonResourceAttributes or resourceAttributes must be specified",
                    "spec.resourceAttributes")));
        }
        Authorizer.Attributes attributes;
        if (resource.isObject()) {
            String namespace = resource.path("namespace").asString("");
            if (localNamespace != null) {
                if (namespace.isEmpty()) {
                    namespace = localNamespace;
                    ((ObjectNode) resource).put("namespace", namespace);
                } else if (!namespace.equals(localNamespace)) {
                    throw ApiException.badRequest("spec.resourceAttributes.namespace must match metadata.namespace: "
                            + namespace + " != " + localNamespace);
                }
            }
            attributes = new Authorizer.Attributes(user, resource.path("verb").asString(""),
                    resource.path("group").asString(""), resource.path("resource").asString(""),
                    resource.path("subresource").asString(""), namespace, resource.path("name").asString(""), "");
        } else {
            if (localNamespace != null) {
                throw ApiException.invalid(AUTHORIZATION, kind, "", List.of(new Cause("FieldValueForbidden",
                        "Forbidden: disallowed on this kind of request", "spec.nonResourceAttributes")));
            }
            attributes = new Authorizer.Attributes(user, nonResource.path("verb").asString(""), "", "", "", "", "",
                    nonResource.path("path").asString(""));
        }
        Authorizer.Verdict verdict = authorizer.decide(attributes);
        status.put("allowed", verdict.decision() == Authorizer.Decision.ALLOW);
        if (!verdict.reason().isEmpty()) {
            status.put("reason", verdict.reason());
        }
    }

    /** The user a SubjectAccessReview asks about. */
    private static UserInfo subject(ObjectNode spec) {
        String name = spec.path("user").asString("");
        List<String> groups = strings(spec.path("groups"));
        if (name.isEmpty() && groups.isEmpty()) {
            throw ApiException.invalid(AUTHORIZATION, "SubjectAccessReview", "", List.of(new Cause(
                    "FieldValueRequired", "at least one of user or group must be specified", "spec.user")));
        }
        if (name.equals(UserInfo.ANONYMOUS.name()) || groups.contains("system:unauthenticated")) {
            return UserInfo.ANONYMOUS;
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        spec.path("extra").properties().forEach(entry -> extra.put(entry.getKey(), strings(entry.getValue())));
        return new UserInfo(name, spec.path("uid").asString(""), groups, extra);
    }

    private void rulesReview(UserInfo user, ObjectNode spec, ObjectNode status) {
        String namespace = spec.path("namespace").asString("");
        if (namespace.isEmpty()) {
            throw ApiException.badRequest("no namespace on request");
        }
        Authorizer.Rules rules = authorizer.rules(user, namespace);
        ArrayNode resourceRules = status.putArray("resourceRules");
        for (Authorizer.ResourceRule rule : rules.resourceRules()) {
            ObjectNode node = resourceRules.addObject();
            putStrings(node, "verbs", rule.verbs());
            putStrings(node, "apiGroups", rule.apiGroups());
            putStrings(node, "resources", rule.resources());
            putStrings(node, "resourceNames", rule.resourceNames());
        }
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        for (Authorizer.NonResourceRule rule : rules.nonResourceRules()) {
            ObjectNode node = nonResourceRules.addObject();
            putStrings(node, "verbs", rule.verbs());
            putStrings(node, "nonResourceURLs", rule.nonResourceURLs());
        }
        status.put("incomplete", rules.incomplete());
    }

    // ---- authentication

    private void tokenReview(ObjectNode spec, ObjectNode status) {
        String token = spec.path("token").asString("");
        List<String> audiences = strings(spec.path("audiences"));
        UserInfo user = token.isEmpty() ? null : authenticator.authenticateToken(token, audiences);
        status.put("authenticated", user != null);
        if (user == null) {
            if (token.isEmpty()) {
                status.put("error", "token is empty");
            }
            return;
        }
        userInfo(status.putObject("user"), user);
        List<String> wanted = audiences.isEmpty() ? tokens.apiAudiences() : audiences;
        List<String> tokenAudiences = ServiceAccountTokens.looksLikeJwt(token) ? tokens.audiences(token) : List.of();
        List<String> valid = new ArrayList<>();
        for (String audience : wanted) {
            if (tokenAudiences.isEmpty() || tokenAudiences.contains(audience)) {
                valid.add(audience);
            }
        }
        putStrings(status, "audiences", valid);
    }

    private void tokenRequest(ApiRequest request, ResourcePath path, ObjectNode body, ObjectNode spec,
                              ObjectNode status) {
        ResourceDefinition serviceAccounts = path.definition();
        ObjectNode serviceAccount = storage.get(serviceAccounts, path.namespace(), path.name());
        String saUid = uid(serviceAccount);
        List<Cause> causes = new ArrayList<>();
        long expiration = spec.path("expirationSeconds").isNumber() ? spec.path("expirationSeconds").asLong()
                : ServiceAccountTokens.DEFAULT_EXPIRATION_SECONDS;
        if (expiration < ServiceAccountTokens.MIN_EXPIRATION_SECONDS) {
            causes.add(Cause.invalid("spec.expirationSeconds", Long.toString(expiration),
                    "may not specify a duration less than 10 minutes"));
        }
        expiration = Math.min(expiration, ServiceAccountTokens.MAX_EXPIRATION_SECONDS);
        ServiceAccountTokens.BoundObject bound = null;
        JsonNode ref = spec.path("boundObjectRef");
        if (ref.isObject() && !ref.isEmpty()) {
            String kind = ref.path("kind").asString("");
            String name = ref.path("name").asString("");
            if (!kind.equals("Pod") && !kind.equals("Secret")) {
                causes.add(new Cause("FieldValueNotSupported", "Unsupported value: \"" + kind
                        + "\": supported values: \"Pod\", \"Secret\"", "spec.boundObjectRef.kind"));
            } else if (name.isEmpty()) {
                causes.add(Cause.required("spec.boundObjectRef.name"));
            } else {
                String plural = kind.equals("Pod") ? "pods" : "secrets";
                ObjectNode object = storage.get(registry.require("", "v1", plural), path.namespace(), name);
                String uid = uid(object);
                String wantedUid = ref.path("uid").asString("");
                if (!wantedUid.isEmpty() && !wantedUid.equals(uid)) {
                    throw ApiException.conflict("", plural, name, "the UID in the bound object reference ("
                            + wantedUid + ") does not match the UID in record. The object might have been deleted "
                            + "and then recreated");
                }
                bound = new ServiceAccountTokens.BoundObject(kind, name, uid);
            }
        }
        if (!causes.isEmpty()) {
            throw ApiException.invalid(AUTHENTICATION, "TokenRequest", path.name(), causes);
        }
        List<String> audiences = strings(spec.path("audiences"));
        if (audiences.isEmpty()) {
            audiences = tokens.apiAudiences();
        }
        ServiceAccountTokens.Issued issued = tokens.issue(path.namespace(), path.name(), saUid, audiences, expiration,
                bound);
        ObjectNode metadata = Json.metadata(body);
        metadata.put("name", path.name());
        metadata.put("namespace", path.namespace());
        metadata.put("creationTimestamp", ObjectMeta.timestamp(clock.instant()));
        putStrings(spec, "audiences", audiences);
        spec.put("expirationSeconds", expiration);
        if (bound != null) {
            ((ObjectNode) ref).put("uid", bound.uid());
            if (!ref.has("apiVersion")) {
                ((ObjectNode) ref).put("apiVersion", "v1");
            }
        }
        status.put("token", ResourceEndpoint.dryRun(request) ? "" : issued.token());
        status.put("expirationTimestamp", ObjectMeta.timestamp(issued.expires()));
    }

    // ---- helpers

    private static String uid(ObjectNode object) {
        return object.path("metadata").path("uid").asString("");
    }

    private static void userInfo(ObjectNode node, UserInfo user) {
        node.put("username", user.name());
        if (!user.uid().isEmpty()) {
            node.put("uid", user.uid());
        }
        putStrings(node, "groups", user.groups());
        if (!user.extra().isEmpty()) {
            ObjectNode extra = node.putObject("extra");
            user.extra().forEach((key, values) -> putStrings(extra, key, values));
        }
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asString("")));
        }
        return values;
    }

    private static void putStrings(ObjectNode node, String field, List<String> values) {
        ArrayNode array = node.putArray(field);
        values.forEach(array::add);
    }
}

package io.k4j.apiserver.endpoints;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.http.ApiRequest;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.selection.Selector;
import io.k4j.apiserver.storage.ObjectStorage;
import io.k4j.apiserver.watch.CachedObject;
import io.k4j.apiserver.watch.WatchCache;
import io.k4j.store.CompactedException;
import io.k4j.store.FutureRevisionException;
import io.k4j.store.KeyValue;
import io.k4j.store.RangeRequest;
import io.k4j.store.RangeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lists with upstream's resourceVersion semantics. Unpaged lists come from the watch cache: unset RV waits until
 * the cache holds every acknowledged write (a consistent read), "0" takes what it has, N waits until it reaches
 * N. Paged lists (limit/continue) and exact-revision lists read the store at one revision, so every page of a list
 * is consistent with the first; a continue token names that revision and the last key.
 */
final class Lists {

    /** One page: its objects, the revision it is consistent with, and how to continue. */
    record Page(List<CachedObject> items, long revision, String continueToken, long remaining) {
    }

    private final ObjectStorage storage;
    private final WatchCache cache;

    Lists(ObjectStorage storage, WatchCache cache) {
        this.storage = storage;
        this.cache = cache;
    }

    Page list(ApiRequest request, ResourceDefinition definition, String namespace, Selector selector) {
        String resourceVersion = request.param("resourceVersion", "");
        String match = request.param("resourceVersionMatch", "");
        long limit = request.param("limit") == null ? 0 : parseLimit(request.param("limit"));
        String continueToken = request.param("continue", "");
        if (!continueToken.isEmpty()) {
            Token token = Token.decode(continueToken);
            return fromStore(definition, namespace, selector, limit, token.revision(), token.startAfter());
        }
        if (match.equals("Exact")) {
            return fromStore(definition, namespace, selector, limit, parseResourceVersion(resourceVersion), null);
        }
        if (!match.isEmpty() && !match.equals("NotOlderThan")) {
            throw ApiException.badRequest("resourceVersionMatch: Unsupported value: \"" + match
                    + "\": supported values: \"Exact\", \"NotOlderThan\"");
        }
        if (resourceVersion.isEmpty()) {
            if (limit > 0) {
                return fromStore(definition, namespace, selector, limit, 0, null);
            }
            cache.awaitFresh();
        } else if (!resourceVersion.equals("0")) {
            long wanted = parseResourceVersion(resourceVersion);
            if (!cache.awaitRevision(wanted, Duration.ofSeconds(3))) {
                throw ApiException.timeout("Too large resource version: " + wanted + ", current: "
                        + cache.currentRevision());
            }
        }
        WatchCache.Snapshot snapshot = cache.list(definition, namespace, selector);
        return new Page(snapshot.items(), snapshot.revision(), null, 0);
    }

    /** Reads matching objects from the store at one revision (0: the latest), up to {@code limit} of them. */
    private Page fromStore(ResourceDefinition definition, String namespace, Selector selector, long limit,
                           long revision, String startAfter) {
        String prefix = definition.prefix(namespace);
        List<CachedObject> items = new ArrayList<>();
        long at = revision;
        String after = startAfter;
        try {
            while (true) {
                RangeRequest request = RangeRequest.prefix(prefix).atRevision(at)
                        .withLimit(limit > 0 ? Math.max(limit - items.size(), 1) : 0);
                RangeResult page = storage.store().range(after == null ? request : request.startingAfter(after));
                at = page.revision();
                for (KeyValue kv : page.items()) {
                    after = kv.key();
                    ObjectNode object = ObjectStorage.decode(kv);
                    if (selector.matches(object)) {
                        items.add(new CachedObject(object));
                    }
                }
                if (!page.more()) {
                    return new Page(items, at, null, 0);
                }
                if (limit > 0 && items.size() >= limit) {
                    long remaining = page.count() - page.items().size();
                    return new Page(items, at, new Token(at, after).encode(), remaining);
                }
            }
        } catch (CompactedException e) {
            throw ApiException.expired("The provided continue parameter is too old to display a consistent list "
                    + "result. You can start a new list without the continue parameter.");
        } catch (FutureRevisionException e) {
            throw ApiException.timeout("Too large resource version: " + revision + ", current: "
                    + storage.store().currentRevision());
        }
    }

    static long parseResourceVersion(String text) {
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version: \"" + text + "\"");
        }
    }

    private static long parseLimit(String text) {
        try {
            return Math.max(0, Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid limit: \"" + text + "\"");
        }
    }

    /** A continue token: the revision of the first page and the last key returned, as base64 JSON. */
    record Token(long revision, String startAfter) {
        String encode() {
            ObjectNode node = Json.object();
            node.put("v", "meta.k8s.io/v1");
            node.put("rv", revision);
            node.put("start", startAfter);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(node));
        }

        static Token decode(String text) {
            try {
                JsonNode node = Json.parse(Base64.getUrlDecoder().decode(text));
                long revision = node.path("rv").asLong(0);
                String start = node.path("start").asString("");
                if (revision <= 0 || start.isEmpty()) {
                    throw new IllegalArgumentException();
                }
                return new Token(revision, start);
            } catch (IllegalArgumentException | ApiException e) {
                throw ApiException.badRequest("invalid continue token: \"" + text + "\"");
            }
        }
    }
}

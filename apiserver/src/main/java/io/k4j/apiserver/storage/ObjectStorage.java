package io.k4j.apiserver.storage;

import io.k4j.apiserver.admission.AdmissionChain;
import io.k4j.apiserver.admission.AdmissionPlugin;
import io.k4j.apiserver.admission.Attributes;
import io.k4j.apiserver.admission.ObjectLookup;
import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.ApiException.Cause;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.apply.FieldManager;
import io.k4j.apiserver.registry.Names;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import io.k4j.apiserver.registry.ResourceStrategy;
import io.k4j.store.ConflictException;
import io.k4j.store.KeyExistsException;
import io.k4j.store.KeyNotFoundException;
import io.k4j.store.KeyValue;
import io.k4j.store.KeyValueStore;
import io.k4j.store.StoreException;
import io.k4j.store.ValueTooLargeException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generic create, read, update and delete of any resource on the store, with upstream's object semantics:
 * server-owned metadata, generation, status kept apart from spec, compare-and-swap updates that retry unless the
 * client named a resourceVersion, graceful deletion and finalizers. Objects are stored as JSON without their
 * resourceVersion, which is the store's mod revision and is filled in on the way out.
 */
public final class ObjectStorage {

    private static final ObjectLookup.Resource NAMESPACES = new ObjectLookup.Resource("", "v1", "namespaces");

    /**
     * Every lost compare-and-swap means another write landed, so the store always progresses; one request can still
     * lose many rounds in a row when several clients patch one object at once (upstream retries until the request
     * times out). The bound only keeps a request from spinning forever behind a writer that never stops.
     */
    private static final int MAX_UPDATE_ATTEMPTS = 1_000;

    private final KeyValueStore store;
    private final ResourceRegistry registry;
    private final InstantSource clock;
    private final Random random;
    private final List<WriteHook> hooks = new ArrayList<>();
    private final EventLeases eventLeases;
    private final StoredObjects storedObjects;
    private final AdmissionChain admission;

    public ObjectStorage(KeyValueStore store, ResourceRegistry registry, InstantSource clock, Random random) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.random = random;
        this.eventLeases = new EventLeases(store, clock);
        this.storedObjects = new StoredObjects(store, registry);
        this.admission = new AdmissionChain(storedObjects);
    }

    /** Lets admission and the namespace check read from the watch cache (see {@link StoredObjects}). */
    public void useCache(ObjectCache cache) {
        storedObjects.useCache(cache);
    }

    /** Adds an admission plugin; they run in the order added, on creates and on updates of the main resource. */
    public void addAdmission(AdmissionPlugin plugin) {
        admission.add(plugin);
    }

    public void addHook(WriteHook hook) {
        hooks.add(hook);
    }

    public KeyValueStore store() {
        return store;
    }

    public ResourceStrategy strategy(ResourceDefinition definition) {
        return registry.strategy(definition);
    }

    /** An object as stored, with its resourceVersion filled in. */
    public static ObjectNode decode(KeyValue kv) {
        ObjectNode object = Json.parseStored(kv.value());
        ObjectMeta.setResourceVersion(object, kv.modRevision());
        return object;
    }

    public Optional<ObjectNode> find(ResourceDefinition definition, String namespace, String name) {
        return store.get(definition.key(namespace, name)).kv()
                .map(kv -> forClient(definition, withApiVersion(definition, decode(kv))));
    }

    /** A stored object as clients of this resource see it (see {@link ResourceStrategy#prepareForRead}). */
    public ObjectNode forClient(ResourceDefinition definition, ObjectNode stored) {
        ObjectNode prepared = registry.strategy(definition).prepareForRead(stored);
        return prepared != null ? prepared : stored;
    }

    /** Every stored object of a resource in a namespace (all namespaces for ""), read from the store itself. */
    public List<ObjectNode> list(ResourceDefinition definition, String namespace) {
        return store.range(io.k4j.store.RangeRequest.prefix(definition.prefix(namespace))).items().stream()
                .map(kv -> forClient(definition, withApiVersion(definition, decode(kv)))).toList();
    }

    /** A registered resource by group, version and plural. */
    public ResourceDefinition definition(String group, String version, String plural) {
        return registry.require(group, version, plural);
    }

    public ObjectNode get(ResourceDefinition definition, String namespace, String name) {
        return find(definition, namespace, name).orElseThrow(() -> notFound(definition, name));
    }

    /** Rewrites apiVersion for the version served (versions of one resource share storage). */
    static ObjectNode withApiVersion(ResourceDefinition definition, ObjectNode object) {
        object.put("apiVersion", definition.apiVersion());
        object.put("kind", definition.kind());
        return object;
    }

    public ObjectNode create(ResourceDefinition definition, String namespace, ObjectNode object, boolean dryRun) {
        return create(definition, namespace, object, null, dryRun);
    }

    /** Creates an object; {@code owner}, when given, is recorded in its managedFields. */
    public ObjectNode create(ResourceDefinition definition, String namespace, ObjectNode object, FieldOwner owner,
                             boolean dryRun) {
        checkKind(definition, object);
        ObjectNode metadata = Json.metadata(object);
        checkNamespace(definition, namespace, metadata);
        String name = metadata.path("name").asString("");
        if (name.isEmpty() && !metadata.path("generateName").asString("").isEmpty()) {
            name = ObjectMeta.generateName(metadata.path("generateName").asString(), random);
            metadata.put("name", name);
        }
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", ObjectMeta.timestamp(clock.instant()));
        metadata.remove(List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
        if (definition.hasStatus()) {
            metadata.put("generation", 1);
        }
        ResourceStrategy strategy = registry.strategy(definition);
        strategy.prepareForCreate(object);
        if (owner != null && !owner.apply()) {
            // Before admission, as upstream: what admission adds belongs to no manager.
            FieldManager.defaults().update(definition, owner.subresource(), null, object, owner.manager(),
                    clock.instant());
        }
        Attributes attributes = Attributes.create(definition, namespace, object);
        admission.admit(attributes);
        validate(definition, strategy, object, strategy.validate(object));
        admission.validate(attributes);
        if (definition.namespaced()) {
            requireActiveNamespace(namespace);
        }
        List<WriteHook> applied = new ArrayList<>();
        try {
            for (WriteHook hook : hooksFor(definition)) {
                hook.beforeCreate(object, dryRun);
                applied.add(hook);
            }
            if (dryRun) {
                return object;
            }
            KeyValue stored = storeNew(definition, definition.key(namespace, name), Json.bytes(object));
            ObjectMeta.setResourceVersion(object, stored.modRevision());
            return object;
        } catch (KeyExistsException e) {
            undo(applied, object);
            throw ApiException.alreadyExists(definition.group(), definition.plural(), name);
        } catch (ValueTooLargeException e) {
            undo(applied, object);
            throw ApiException.tooLarge("the object is too large to store: " + e.getMessage());
        } catch (RuntimeException e) {
            undo(applied, object);
            throw translate(e);
        }
    }

    /** Tells admission's reads (see {@link StoredObjects}) what was written. */
    private KeyValue recorded(KeyValue written) {
        storedObjects.written(written.key(), written.modRevision());
        return written;
    }

    /** Stores a new object; events go on a lease so that they expire. */
    private KeyValue storeNew(ResourceDefinition definition, String key, byte[] value) {
        if (!EventLeases.isEvent(definition)) {
            return recorded(store.create(key, value));
        }
        long lease = eventLeases.current();
        try {
            return recorded(store.create(key, value, lease));
        } catch (io.k4j.store.LeaseNotFoundException e) {
            eventLeases.forget(lease);
            return recorded(store.create(key, value, eventLeases.current()));
        }
    }

    private static void undo(List<WriteHook> applied, ObjectNode object) {
        applied.forEach(hook -> hook.createFailed(object));
    }

    /**
     * Replaces an object with what {@code change} makes of the current one, retrying on concurrent writes.
     *
     * @param change          returns the new object; it may throw an ApiException to refuse
     * @param subresource     "status" to change only the status, "" for the main resource; another subresource
     *                        (binding) writes the main resource without admission, which ignores subresources
     */
    public ObjectNode update(ResourceDefinition definition, String namespace, String name, String subresource,
                             UnaryOperator<ObjectNode> change, boolean dryRun) {
        return update(definition, namespace, name, subresource, null, change, dryRun);
    }

    /** An update whose {@code owner}, when given, is recorded in the object's managedFields. */
    public ObjectNode update(ResourceDefinition definition, String namespace, String name, String subresource,
                             FieldOwner owner, UnaryOperator<ObjectNode> change, boolean dryRun) {
        String key = definition.key(namespace, name);
        ResourceStrategy strategy = registry.strategy(definition);
        for (int attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
            KeyValue current = store.get(key).kv().orElseThrow(() -> notFound(definition, name));
            ObjectNode old = withApiVersion(definition, decode(current));
            ObjectNode requested = change.apply(old.deepCopy());
            checkKind(definition, requested);
            String wanted = ObjectMeta.resourceVersion(requested);
            boolean conditional = !wanted.isEmpty();
            if (conditional && !wanted.equals(Long.toString(current.modRevision()))) {
                throw ApiException.staleResourceVersion(definition.group(), definition.plural(), name);
            }
            ObjectNode updated = "status".equals(subresource)
                    ? mergeStatus(old, requested)
                    : mergeMain(definition, strategy, subresource, old, requested);
            checkNamespace(definition, namespace, Json.metadata(updated));
            if (!ObjectMeta.name(updated).equals(name)) {
                throw ApiException.badRequest("the name of the object (" + ObjectMeta.name(updated)
                        + ") does not match the name on the URL (" + name + ")");
            }
            Attributes attributes = Attributes.update(definition, namespace, updated, old);
            boolean admitted = subresource.isEmpty();
            if (admitted) {
                admission.admit(attributes);
            }
            validate(definition, strategy, updated, strategy.validateUpdate(updated, old));
            if (admitted) {
                admission.validate(attributes);
            }
            for (WriteHook hook : hooksFor(definition)) {
                hook.beforeUpdate(updated, old, dryRun);
            }
            recordOwner(definition, owner, old, requested, updated);
            Json.metadata(updated).remove("resourceVersion");
            ObjectNode oldStored = old.deepCopy();
            Json.metadata(oldStored).remove("resourceVersion");
            if (updated.equals(oldStored)) {
                return old; // nothing changed: no write, same resourceVersion, as upstream
            }
            if (dryRun) {
                ObjectMeta.setResourceVersion(updated, current.modRevision());
                return updated;
            }
            if (ObjectMeta.isDeleting(updated) && !ObjectMeta.hasFinalizers(updated)) {
                return deleteNow(definition, key, current, updated);
            }
            try {
                KeyValue stored = recorded(store.update(key, Json.bytes(updated), current.modRevision(), current.lease()));
                ObjectMeta.setResourceVersion(updated, stored.modRevision());
                return updated;
            } catch (ConflictException e) {
                // Someone wrote in between: go round again. A request that named a resourceVersion fails the check
                // above with the newer object; a patch re-applied to the newer object carries its version and passes.
                continue;
            } catch (KeyNotFoundException e) {
                throw notFound(definition, name);
            } catch (ValueTooLargeException e) {
                throw ApiException.tooLarge("the object is too large to store: " + e.getMessage());
            } catch (StoreException e) {
                throw translate(e);
            }
        }
        throw ApiException.conflict(definition.group(), definition.plural(), name,
                "too many concurrent writes; try again");
    }

    /** Keeps managedFields: an update records its manager; an apply brought its own (status writes too). */
    private void recordOwner(ResourceDefinition definition, FieldOwner owner, ObjectNode old, ObjectNode requested,
                             ObjectNode updated) {
        if (owner == null) {
            return;
        }
        if (owner.apply()) {
            JsonNode managed = requested.path("metadata").get("managedFields");
            if (managed != null) {
                Json.metadata(updated).set("managedFields", managed.deepCopy());
            } else {
                Json.metadata(updated).remove("managedFields");
            }
            return;
        }
        FieldManager.defaults().update(definition, owner.subresource(), old, updated, owner.manager(),
                clock.instant());
    }

    /** A write to the main resource: server-owned metadata and the status stay as they were. */
    private ObjectNode mergeMain(ResourceDefinition definition, ResourceStrategy strategy, String subresource,
                                 ObjectNode old,
                                 ObjectNode requested) {
        ObjectNode metadata = Json.metadata(requested);
        JsonNode oldMetadata = old.path("metadata");
        for (String owned : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                "generation", "namespace")) {
            if (oldMetadata.has(owned)) {
                metadata.set(owned, oldMetadata.get(owned).deepCopy());
            } else {
                metadata.remove(owned);
            }
        }
        if (ObjectMeta.isDeleting(old)) {
            // While deleting, finalizers may only be removed, never added.
            List<String> before = new ArrayList<>();
            oldMetadata.path("finalizers").forEach(f -> before.add(f.asString("")));
            for (JsonNode finalizer : metadata.path("finalizers")) {
                if (!before.contains(finalizer.asString(""))) {
                    throw ApiException.forbidden("no new finalizers can be added if the object is being deleted, "
                            + "found new finalizers [\"" + finalizer.asString("") + "\"]");
                }
            }
        }
        if (definition.hasStatus()) {
            if (old.has("status")) {
                requested.set("status", old.get("status").deepCopy());
            } else {
                requested.remove("status");
            }
            if (!requested.path("spec").equals(old.path("spec"))) {
                metadata.put("generation", oldMetadata.path("generation").asLong(0) + 1);
            }
        }
        if (subresource.isEmpty()) {
            strategy.prepareForUpdate(requested, old);
        } else {
            strategy.prepareForSubresourceUpdate(subresource, requested, old);
        }
        return requested;
    }

    /** A write to the status subresource: only the status changes. */
    private static ObjectNode mergeStatus(ObjectNode old, ObjectNode requested) {
        ObjectNode updated = old.deepCopy();
        if (requested.has("status")) {
            updated.set("status", requested.get("status").deepCopy());
        } else {
            updated.remove("status");
        }
        String wanted = ObjectMeta.resourceVersion(requested);
        if (!wanted.isEmpty()) {
            Json.metadata(updated).put("resourceVersion", wanted);
        }
        return updated;
    }

    /**
     * Deletes an object: at once, or, if it has finalizers or needs a grace period, by marking it with a
     * deletionTimestamp for whoever finishes the job. Returns the object as deleted or as marked.
     */
    public ObjectNode delete(ResourceDefinition definition, String namespace, String name, DeleteOptions options) {
        String key = definition.key(namespace, name);
        for (int attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
            KeyValue current = store.get(key).kv().orElseThrow(() -> notFound(definition, name));
            ObjectNode object = withApiVersion(definition, decode(current));
            checkPreconditions(definition, name, object, options);
            boolean finalizersChanged = DeletionPropagation.applyFinalizers(definition, object, options);
            if (!ObjectMeta.isDeleting(object) && !options.dryRun()
                    && registry.strategy(definition).prepareForDelete(object)) {
                Json.metadata(object).put("deletionTimestamp", ObjectMeta.timestamp(clock.instant()));
                Json.metadata(object).put("deletionGracePeriodSeconds", 0);
                Json.metadata(object).remove("resourceVersion");
                try {
                    KeyValue stored = recorded(store.update(key, Json.bytes(object), current.modRevision(), current.lease()));
                    ObjectMeta.setResourceVersion(object, stored.modRevision());
                    return object;
                } catch (ConflictException e) {
                    continue;
                } catch (KeyNotFoundException e) {
                    throw notFound(definition, name);
                }
            }
            long grace = gracePeriod(definition, object, options);
            // A namespace with its spec finalizers (normally "kubernetes") waits for the namespace controller too.
            boolean graceful = ObjectMeta.hasFinalizers(object) || grace > 0;
            if (options.dryRun()) {
                return object;
            }
            try {
                if (!graceful) {
                    return deleteNow(definition, key, current, object);
                }
                if (ObjectMeta.isDeleting(object) && !finalizersChanged && grace >= object.path("metadata")
                        .path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE)) {
                    return object; // already being deleted, no shorter grace period asked for
                }
                ObjectNode metadata = Json.metadata(object);
                if (!ObjectMeta.isDeleting(object)) {
                    metadata.put("deletionTimestamp", ObjectMeta.timestamp(clock.instant().plusSeconds(grace)));
                }
                metadata.put("deletionGracePeriodSeconds", Math.min(grace,
                        metadata.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE)));
                if ("namespaces".equals(definition.plural()) && definition.group().isEmpty()) {
                    Json.child(object, "status").put("phase", "Terminating");
                }
                metadata.remove("resourceVersion");
                KeyValue stored = recorded(store.update(key, Json.bytes(object), current.modRevision(), current.lease()));
                ObjectMeta.setResourceVersion(object, stored.modRevision());
                return object;
            } catch (ConflictException e) {
                // changed meanwhile: look again
            } catch (KeyNotFoundException e) {
                throw notFound(definition, name);
            } catch (StoreException e) {
                throw translate(e);
            }
        }
        throw ApiException.conflict(definition.group(), definition.plural(), name, "too many concurrent writes");
    }

    private ObjectNode deleteNow(ResourceDefinition definition, String key, KeyValue current, ObjectNode object) {
        try {
            long revision = store.delete(key, current.modRevision()).revision();
            storedObjects.written(key, revision);
            ObjectMeta.setResourceVersion(object, revision);
        } catch (KeyNotFoundException e) {
            throw notFound(definition, ObjectMeta.name(object));
        }
        for (WriteHook hook : hooksFor(definition)) {
            hook.afterDelete(object);
        }
        return object;
    }

    /** Pods bound to a node wait for their grace period (the node's agent confirms); everything else goes at once. */
    private static long gracePeriod(ResourceDefinition definition, ObjectNode object, DeleteOptions options) {
        boolean boundPod = definition.group().isEmpty() && "pods".equals(definition.plural())
                && !object.path("spec").path("nodeName").asString("").isEmpty()
                && !"Succeeded".equals(object.path("status").path("phase").asString(""))
                && !"Failed".equals(object.path("status").path("phase").asString(""));
        if (!boundPod) {
            return 0;
        }
        if (options.gracePeriodSeconds() != null) {
            return Math.max(0, options.gracePeriodSeconds());
        }
        return object.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    }

    private static void checkPreconditions(ResourceDefinition definition, String name, ObjectNode object,
                                           DeleteOptions options) {
        String uid = object.path("metadata").path("uid").asString("");
        if (options.preconditionUid() != null && !options.preconditionUid().equals(uid)) {
            throw ApiException.conflict(definition.group(), definition.plural(), name,
                    "the UID in the precondition (" + options.preconditionUid() + ") does not match the UID in record ("
                            + uid + "). The object might have been deleted and then recreated");
        }
        String rv = ObjectMeta.resourceVersion(object);
        if (options.preconditionResourceVersion() != null && !options.preconditionResourceVersion().equals(rv)) {
            throw ApiException.conflict(definition.group(), definition.plural(), name,
                    "the ResourceVersion in the precondition (" + options.preconditionResourceVersion()
                            + ") does not match the ResourceVersion in record (" + rv
                            + "). The object might have been modified");
        }
    }

    private List<WriteHook> hooksFor(ResourceDefinition definition) {
        return hooks.stream().filter(hook -> hook.appliesTo(definition)).toList();
    }

    private static void checkKind(ResourceDefinition definition, ObjectNode object) {
        String kind = object.path("kind").asString("");
        if (!kind.isEmpty() && !kind.equals(definition.kind())) {
            throw ApiException.badRequest("the kind \"" + kind + "\" of the object does not match the resource \""
                    + definition.plural() + "\" (expected \"" + definition.kind() + "\")");
        }
        String apiVersion = object.path("apiVersion").asString("");
        if (!apiVersion.isEmpty() && !apiVersion.equals(definition.apiVersion())) {
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            if (!group.equals(definition.group())) {
                throw ApiException.badRequest("the apiVersion \"" + apiVersion + "\" of the object does not match \""
                        + definition.apiVersion() + "\" on the URL");
            }
        }
        object.put("apiVersion", definition.apiVersion());
        object.put("kind", definition.kind());
    }

    private static void checkNamespace(ResourceDefinition definition, String namespace, ObjectNode metadata) {
        if (!definition.namespaced()) {
            metadata.remove("namespace");
            return;
        }
        String given = metadata.path("namespace").asString("");
        if (!given.isEmpty() && !given.equals(namespace)) {
            throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent "
                    + "on the request");
        }
        metadata.put("namespace", namespace);
    }

    private void validate(ResourceDefinition definition, ResourceStrategy strategy, ObjectNode object,
                          List<Cause> kindCauses) {
        List<Cause> causes = new ArrayList<>();
        String name = ObjectMeta.name(object);
        if (name.isEmpty()) {
            causes.add(new Cause("FieldValueRequired", "Required value: name or generateName is required",
                    "metadata.name"));
        } else {
            causes.addAll(Names.check("metadata.name", name, strategy.namesAreLabels()));
        }
        causes.addAll(kindCauses);
        if (!causes.isEmpty()) {
            throw ApiException.invalid(definition.group(), definition.kind(), name, causes);
        }
    }

    private void requireActiveNamespace(String namespace) {
        ObjectNode found = storedObjects.get(NAMESPACES, "", namespace).orElseThrow(
                () -> ApiException.notFound("", "namespaces", namespace));
        if (ObjectMeta.isDeleting(found)) {
            throw ApiException.forbidden("unable to create new content in namespace " + namespace
                    + " because it is being terminated");
        }
    }

    private static ApiException notFound(ResourceDefinition definition, String name) {
        return ApiException.notFound(definition.group(), definition.plural(), name);
    }

    static ApiException translate(RuntimeException e) {
        if (e instanceof ApiException api) {
            return api;
        }
        if (e instanceof StoreException) {
            return ApiException.unavailable("the datastore is unavailable: " + e.getMessage());
        }
        throw e;
    }
}

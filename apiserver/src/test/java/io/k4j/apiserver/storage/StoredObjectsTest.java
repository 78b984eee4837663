package io.k4j.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.admission.ObjectLookup;
import io.k4j.apiserver.api.Json;
import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.registry.ResourceRegistry;
import io.k4j.store.KeyValue;
import io.k4j.store.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** Admission's reads: from the cache once it has caught up with the last write to the resource, else from the store. */
class StoredObjectsTest {

    private static final ObjectLookup.Resource PRIORITY_CLASSES =
            new ObjectLookup.Resource("scheduling.k8s.io", "v1", "priorityclasses");

    private static final String HIGH = "/registry/scheduling.k8s.io/priorityclasses/high";

    @TempDir
    Path dir;
    private SqliteStore store;
    private StoredObjects objects;

    @BeforeEach
    void open() throws Exception {
        store = SqliteStore.open(dir.resolve("state.db"));
        objects = new StoredObjects(store, ResourceRegistry.withBuiltins());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void readsTheCacheOnceItHasSeenTheLastWriteToTheResource() {
        write(HIGH, json("high", 1000));
        FakeCache cache = cacheHolding(json("cached", 5));

        assertThat(objects.get(PRIORITY_CLASSES, "", "high")).map(o -> o.path("metadata").path("name").asString())
                .contains("cached");
        assertThat(objects.list(PRIORITY_CLASSES, "")).extracting(o -> o.path("value").asInt()).containsExactly(5);
        assertThat(cache.awaited).containsOnly(store.currentRevision());
    }

    @Test
    void readsTheStoreWhileTheCacheLagsBehindAnAcknowledgedWrite() {
        FakeCache cache = cacheHolding(json("stale", 5));
        write(HIGH, json("high", 1000));

        assertThat(objects.get(PRIORITY_CLASSES, "", "high")).map(o -> o.path("value").asInt()).contains(1000);
        assertThat(objects.list(PRIORITY_CLASSES, "")).extracting(o -> o.path("value").asInt()).containsExactly(1000);
        assertThat(cache.awaited).containsOnly(store.currentRevision());
    }

    @Test
    void doesNotWaitForTheCacheToCatchUpWithWritesToOtherResources() {
        write(HIGH, json("high", 1000));
        FakeCache cache = cacheHolding(json("cached", 5));
        write("/registry/core/pods/default/p", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(objects.get(PRIORITY_CLASSES, "", "high")).map(o -> o.path("value").asInt()).contains(5);
        assertThat(cache.awaited).containsOnly(store.currentRevision() - 1);
    }

    /** A write through the server: stored, then recorded as ObjectStorage records it. */
    private void write(String key, byte[] value) {
        KeyValue kv = store.create(key, value);
        objects.written(kv.key(), kv.modRevision());
    }

    /** Gives the lookups a cache that has seen the store's current revision and holds one object. */
    private FakeCache cacheHolding(byte[] object) {
        FakeCache cache = new FakeCache(store.currentRevision(), object);
        objects.useCache(cache);
        return cache;
    }

    private static byte[] json(String name, int value) {
        return ("{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\",\"metadata\":{\"name\":\"" + name
                + "\"},\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** A cache that has seen up to a fixed revision and holds one object; it records the revisions awaited. */
    private static final class FakeCache implements ObjectCache {
        private final long revision;
        private final ObjectNode object;
        final List<Long> awaited = new ArrayList<>();

        FakeCache(long revision, byte[] object) {
            this.revision = revision;
            this.object = Json.parseObject(object);
        }

        @Override
        public boolean awaitRevision(long wanted, Duration timeout) {
            awaited.add(wanted);
            return wanted <= revision;
        }

        @Override
        public Optional<ObjectNode> get(ResourceDefinition definition, String namespace, String name) {
            return Optional.of(object);
        }

        @Override
        public List<ObjectNode> list(ResourceDefinition definition, String namespace) {
            return List.of(object);
        }
    }
}

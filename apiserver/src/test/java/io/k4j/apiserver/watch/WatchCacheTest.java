package io.k4j.apiserver.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.registry.ResourceDefinition;
import io.k4j.apiserver.selection.Selector;
import io.k4j.store.sqlite.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchCacheTest {

    private static final ResourceDefinition PODS = new ResourceDefinition("", "v1", "Pod", "pods", "pod", List.of(),
            List.of(), true, ResourceDefinition.ALL_VERBS, List.of(), null);

    /**
     * A list must never hold an object newer than the revision it reports: a client that watches from that revision
     * would be sent the change again and step back to an older state of the object. The watcher's sink runs while
     * the event is being applied (the cache's revision not yet advanced), which is exactly when a concurrent list
     * could look.
     */
    @Test
    void aListTakenWhileAnEventIsAppliedReportsARevisionCoveringEveryItem(@TempDir Path dir) throws Exception {
        try (SqliteStore store = SqliteStore.open(dir.resolve("state.db"))) {
            WatchCache cache = new WatchCache(store, 100);
            cache.start();
            CompletableFuture<WatchCache.Snapshot> seenDuringApply = new CompletableFuture<>();
            cache.watch(PODS, "", Selector.EVERYTHING, cache.currentRevision(), false,
                    event -> seenDuringApply.complete(cache.list(PODS, "", Selector.EVERYTHING)));

            store.create("/registry/core/pods/default/a", """
                    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"default"}}"""
                    .getBytes(StandardCharsets.UTF_8));

            WatchCache.Snapshot snapshot = seenDuringApply.get(30, TimeUnit.SECONDS);
            assertThat(snapshot.items()).hasSize(1);
            assertThat(snapshot.revision()).isGreaterThanOrEqualTo(snapshot.items().get(0).resourceVersion());
            cache.close();
        }
    }
}

package io.k4j.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics every backend must have, run unchanged against each one. A subclass only says how to open a
 * fresh, empty store for each test.
 */
abstract class StoreConformanceTest {

    protected KeyValueStore store;

    /** A store that holds no keys yet (its revision may be above zero). */
    protected abstract KeyValueStore openStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    static byte[] value(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void createThenGetReturnsTheKeyWithItsRevisions() {
        KeyValue created = store.create("/registry/pods/default/a", value("one"));

        assertThat(created.createRevision()).isEqualTo(created.modRevision());
        assertThat(created.version()).isEqualTo(1);
        GetResult read = store.get("/registry/pods/default/a");
        assertThat(read.kv()).hasValueSatisfying(kv -> {
            assertThat(kv.valueAsString()).isEqualTo("one");
            assertThat(kv.modRevision()).isEqualTo(created.modRevision());
            assertThat(kv.createRevision()).isEqualTo(created.createRevision());
        });
        assertThat(read.revision()).isEqualTo(created.modRevision());
    }

    @Test
    void getOfAMissingKeyIsEmptyButCarriesTheRevision() {
        KeyValue other = store.create("/x", value("1"));
        GetResult read = store.get("/missing");
        assertThat(read.kv()).isEmpty();
        assertThat(read.revision()).isEqualTo(other.modRevision());
    }

    @Test
    void createOfAnExistingKeyFailsAndChangesNothing() {
        KeyValue first = store.create("/k", value("first"));

        assertThatThrownBy(() -> store.create("/k", value("second")))
                .isInstanceOf(KeyExistsException.class)
                .hasMessageContaining("/k");
        assertThat(store.get("/k").kv().orElseThrow().valueAsString()).isEqualTo("first");
        assertThat(store.currentRevision()).isEqualTo(first.modRevision());
    }

    @Test
    void everyWriteTakesTheNextRevision() {
        long start = store.currentRevision();
        KeyValue created = store.create("/r", value("a"));
        KeyValue updated = store.update("/r", value("b"), created.modRevision());
        DeleteResult deleted = store.delete("/r");

        assertThat(created.modRevision()).isEqualTo(start + 1);
        assertThat(updated.modRevision()).isEqualTo(start + 2);
        assertThat(deleted.revision()).isEqualTo(start + 3);
        assertThat(store.currentRevision()).isEqualTo(start + 3);
    }

    @Test
    void compareAndSwapSucceedsOnlyWithTheCurrentModRevision() {
        KeyValue created = store.create("/cas", value("v1"));
        KeyValue updated = store.update("/cas", value("v2"), created.modRevision());

        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.createRevision()).isEqualTo(created.createRevision());
        assertThatThrownBy(() -> store.update("/cas", value("v3"), created.modRevision()))
                .isInstanceOfSatisfying(ConflictException.class, conflict -> {
                    assertThat(conflict.current().modRevision()).isEqualTo(updated.modRevision());
                    assertThat(conflict.current().valueAsString()).isEqualTo("v2");
                });
        assertThat(store.get("/cas").kv().orElseThrow().valueAsString()).isEqualTo("v2");
    }

    @Test
    void unconditionalUpdateNeedsAnExistingKey() {
        store.create("/u", value("a"));
        assertThat(store.update("/u", value("b"), KeyValueStore.ANY_REVISION).valueAsString()).isEqualTo("b");
        assertThatThrownBy(() -> store.update("/nope", value("x"), KeyValueStore.ANY_REVISION))
                .isInstanceOf(KeyNotFoundException.class);
        assertThat(store.get("/nope").kv()).isEmpty();
    }

    @Test
    void deleteReturnsThePreviousValueAndCanBeGuarded() {
        KeyValue created = store.create("/d", value("gone soon"));
        store.update("/d", value("newer"), created.modRevision());

        assertThatThrownBy(() -> store.delete("/d", created.modRevision())).isInstanceOf(ConflictException.class);
        assertThat(store.get("/d").kv()).isPresent();

        long current = store.get("/d").kv().orElseThrow().modRevision();
        DeleteResult deleted = store.delete("/d", current);
        assertThat(deleted.previous().valueAsString()).isEqualTo("newer");
        assertThat(store.get("/d").kv()).isEmpty();
        assertThatThrownBy(() -> store.delete("/d")).isInstanceOf(KeyNotFoundException.class);
    }

    @Test
    void aDeletedKeyCanBeCreatedAgainAsANewIncarnation() {
        store.create("/again", value("1"));
        store.delete("/again");
        KeyValue recreated = store.create("/again", value("2"));
        assertThat(recreated.version()).isEqualTo(1);
        assertThat(recreated.createRevision()).isEqualTo(recreated.modRevision());
    }

    @Test
    void rangeReturnsTheKeysUnderAPrefixInOrder() {
        for (String name : List.of("c", "a", "e", "b", "d")) {
            store.create("/registry/pods/" + name, value(name));
        }
        store.create("/registry/podsecurity/x", value("not a pod"));
        store.create("/registry/services/a", value("other"));

        RangeResult result = store.range(RangeRequest.prefix("/registry/pods/"));

        assertThat(result.items()).extracting(KeyValue::key).containsExactly(
                "/registry/pods/a", "/registry/pods/b", "/registry/pods/c", "/registry/pods/d", "/registry/pods/e");
        assertThat(result.items()).allSatisfy(kv -> assertThat(kv.createRevision()).isPositive());
        assertThat(result.more()).isFalse();
        assertThat(result.count()).isEqualTo(5);
        assertThat(result.revision()).isEqualTo(store.currentRevision());
    }

    @Test
    void rangePagesWithALimitAndAContinuePoint() {
        for (int i = 0; i < 7; i++) {
            store.create("/p/" + i, value("v" + i));
        }
        List<String> seen = new ArrayList<>();
        RangeRequest request = RangeRequest.prefix("/p/").withLimit(3);
        RangeResult page = store.range(request);
        long firstRevision = page.revision();
        assertThat(page.more()).isTrue();
        assertThat(page.count()).isEqualTo(7);
        int pages = 1;
        page.items().forEach(kv -> seen.add(kv.key()));
        while (page.more()) {
            // Pages after the first read at the first page's revision, as Kubernetes continue tokens do.
            store.create("/p/9-late-" + pages, value("written while paging"));
            page = store.range(request.startingAfter(seen.get(seen.size() - 1)).atRevision(firstRevision));
            page.items().forEach(kv -> seen.add(kv.key()));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("/p/0", "/p/1", "/p/2", "/p/3", "/p/4", "/p/5", "/p/6");
    }

    @Test
    void rangeAtAPastRevisionSeesTheStateOfThatRevision() {
        KeyValue a = store.create("/h/a", value("a1"));
        KeyValue b = store.create("/h/b", value("b1"));
        long before = store.currentRevision();
        store.update("/h/a", value("a2"), a.modRevision());
        store.delete("/h/b", b.modRevision());
        store.create("/h/c", value("c1"));

        RangeResult past = store.range(RangeRequest.prefix("/h/").atRevision(before));
        assertThat(past.items()).extracting(KeyValue::key, KeyValue::valueAsString)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/h/a", "a1"),
                        org.assertj.core.groups.Tuple.tuple("/h/b", "b1"));
        assertThat(past.revision()).isEqualTo(before);

        RangeResult now = store.range(RangeRequest.prefix("/h/"));
        assertThat(now.items()).extracting(KeyValue::key, KeyValue::valueAsString)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/h/a", "a2"),
                        org.assertj.core.groups.Tuple.tuple("/h/c", "c1"));
    }

    @Test
    void rangeAtAFutureRevisionIsRefused() {
        store.create("/f", value("1"));
        long future = store.currentRevision() + 100;
        assertThatThrownBy(() -> store.range(RangeRequest.prefix("/").atRevision(future)))
                .isInstanceOf(FutureRevisionException.class);
    }

    @Test
    void watchReplaysHistoryAfterARevisionThenFollowsLiveChanges() {
        KeyValue a = store.create("/w/a", value("1"));
        long from = a.modRevision();
        KeyValue a2 = store.update("/w/a", value("2"), a.modRevision());
        store.create("/w/b", value("b"));
        store.create("/elsewhere/x", value("not watched"));

        RecordingListener listener = new RecordingListener();
        try (Watch ignored = store.watch("/w/", from, listener)) {
            List<WatchEvent> replayed = listener.awaitEvents(2);
            assertThat(replayed).hasSize(2);
            WatchEvent update = replayed.get(0);
            assertThat(update.type()).isEqualTo(WatchEvent.Type.PUT);
            assertThat(update.isCreate()).isFalse();
            assertThat(update.kv().valueAsString()).isEqualTo("2");
            assertThat(update.previous().valueAsString()).isEqualTo("1");
            assertThat(replayed.get(1).isCreate()).isTrue();
            assertThat(replayed.get(1).previous()).isNull();

            DeleteResult deleted = store.delete("/w/a", a2.modRevision());
            store.create("/elsewhere/y", value("not watched"));
            store.create("/w/c", value("c"));

            List<WatchEvent> all = listener.awaitEvents(4);
            WatchEvent delete = all.get(2);
            assertThat(delete.type()).isEqualTo(WatchEvent.Type.DELETE);
            assertThat(delete.kv().key()).isEqualTo("/w/a");
            assertThat(delete.kv().value()).isNull();
            assertThat(delete.revision()).isEqualTo(deleted.revision());
            assertThat(delete.previous().valueAsString()).isEqualTo("2");
            assertThat(all.get(3).kv().key()).isEqualTo("/w/c");
            assertThat(listener.revisions()).isSorted().doesNotHaveDuplicates();
            assertThat(all).allSatisfy(event -> assertThat(event.kv().key()).startsWith("/w/"));
        }
        assertThat(listener.error()).isNull();
    }

    @Test
    void watchFromTheCurrentRevisionSeesOnlyLaterChanges() {
        store.create("/n/old", value("old"));
        RecordingListener listener = new RecordingListener();
        try (Watch ignored = store.watch("/n/", store.currentRevision(), listener)) {
            KeyValue fresh = store.create("/n/new", value("new"));
            List<WatchEvent> events = listener.awaitEvents(1);
            assertThat(events).extracting(WatchEvent::revision).containsExactly(fresh.modRevision());
        }
    }

    @Test
    void aClosedWatchDeliversNothingMore() {
        long start = store.currentRevision();
        RecordingListener listener = new RecordingListener();
        Watch watch = store.watch("/c/", start, listener);
        store.create("/c/1", value("1"));
        listener.awaitEvents(1);
        watch.close();
        watch.close();
        store.create("/c/2", value("2"));
        RecordingListener witness = new RecordingListener();
        try (Watch ignored = store.watch("/c/", start, witness)) {
            witness.awaitEvents(2);
        }
        assertThat(listener.size()).isEqualTo(1);
    }

    @Test
    void aWatcherThatReconnectsFromItsLastRevisionMissesNothing() throws Exception {
        long start = store.currentRevision();
        int total = 300;
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writes = writer.submit(() -> {
            for (int i = 0; i < total; i++) {
                store.create("/re/" + i, value("v" + i));
            }
        });
        RecordingListener first = new RecordingListener();
        Watch watch = store.watch("/re/", start, first);
        first.awaitEvents(50);
        watch.close();
        List<WatchEvent> seen = first.events();
        long last = seen.get(seen.size() - 1).revision();

        RecordingListener second = new RecordingListener();
        try (Watch ignored = store.watch("/re/", last, second)) {
            writes.get();
            second.awaitEvents(total - seen.size());
            List<Long> revisions = new ArrayList<>(first.revisions());
            revisions.addAll(second.revisions());
            assertThat(revisions).containsExactlyElementsOf(
                    LongStream.rangeClosed(start + 1, start + total).boxed().toList());
        } finally {
            writer.shutdownNow();
        }
        assertThat(first.sawOverlappingCalls()).isFalse();
    }

    @Test
    void compactionRefusesOlderReadsAndWatchesButKeepsNewerOnes() {
        KeyValue a = store.create("/k/a", value("a1"));
        store.update("/k/a", value("a2"), a.modRevision());
        KeyValue b = store.create("/k/b", value("b1"));
        store.delete("/k/b", b.modRevision());
        long compactAt = store.create("/k/c", value("c1")).modRevision();
        store.create("/k/d", value("d1"));

        store.compact(compactAt);
        store.compact(compactAt - 1);

        assertThatThrownBy(() -> store.range(RangeRequest.prefix("/k/").atRevision(compactAt - 2)))
                .isInstanceOf(CompactedException.class);
        assertThat(store.range(RangeRequest.prefix("/k/").atRevision(compactAt)).items())
                .extracting(KeyValue::key, KeyValue::valueAsString)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/k/a", "a2"),
                        org.assertj.core.groups.Tuple.tuple("/k/c", "c1"));

        RecordingListener tooOld = new RecordingListener();
        try (Watch ignored = store.watch("/k/", compactAt - 2, tooOld)) {
            assertThat(tooOld.awaitError()).isInstanceOf(CompactedException.class);
        }
        RecordingListener recent = new RecordingListener();
        try (Watch ignored = store.watch("/k/", compactAt, recent)) {
            assertThat(recent.awaitEvents(1)).extracting(event -> event.kv().key()).containsExactly("/k/d");
        }
        assertThat(store.get("/k/a").kv().orElseThrow().valueAsString()).isEqualTo("a2");
    }

    @Test
    void theCompactorKeepsOneWindowOfHistory() {
        Compactor compactor = new Compactor(store);
        store.create("/cw/0", value("0"));
        store.create("/cw/1", value("1"));
        assertThat(compactor.tick()).isZero();
        long firstTick = store.currentRevision();
        store.create("/cw/2", value("2"));
        store.create("/cw/3", value("3"));

        assertThat(compactor.tick()).isEqualTo(firstTick);

        assertThatThrownBy(() -> store.range(RangeRequest.prefix("/cw/").atRevision(firstTick - 1)))
                .isInstanceOf(CompactedException.class);
        assertThat(store.range(RangeRequest.prefix("/cw/").atRevision(firstTick)).items()).hasSize(2);
        compactor.close();
    }

    @Test
    void compactingToAFutureRevisionIsRefused() {
        store.create("/fc", value("1"));
        long future = store.currentRevision() + 10;
        assertThatThrownBy(() -> store.compact(future)).isInstanceOf(FutureRevisionException.class);
    }

    @Test
    void keysOnAnExpiredLeaseAreDeletedAndWatchersSeeIt() {
        long lease = store.grantLease(Duration.ofSeconds(1));
        store.create("/l/event", value("short-lived"), lease);
        store.create("/l/keep", value("stays"));
        RecordingListener listener = new RecordingListener();
        try (Watch ignored = store.watch("/l/", store.currentRevision(), listener)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> store.get("/l/event").kv().isEmpty());
            List<WatchEvent> events = listener.awaitEvents(1);
            assertThat(events.get(0).type()).isEqualTo(WatchEvent.Type.DELETE);
            assertThat(events.get(0).previous().lease()).isEqualTo(lease);
        }
        assertThat(store.get("/l/keep").kv()).isPresent();
        assertThatThrownBy(() -> store.keepAliveLease(lease)).isInstanceOf(LeaseNotFoundException.class);
    }

    @Test
    void revokingALeaseDeletesItsKeysAtOnce() {
        long lease = store.grantLease(Duration.ofMinutes(10));
        store.keepAliveLease(lease);
        KeyValue attached = store.create("/rv/a", value("1"), lease);
        assertThat(attached.lease()).isEqualTo(lease);
        store.create("/rv/b", value("2"), lease);

        store.revokeLease(lease);

        assertThat(store.range(RangeRequest.prefix("/rv/")).items()).isEmpty();
        assertThatThrownBy(() -> store.revokeLease(lease)).isInstanceOf(LeaseNotFoundException.class);
        assertThatThrownBy(() -> store.create("/rv/c", value("3"), lease)).isInstanceOf(LeaseNotFoundException.class);
    }

    @Test
    void valuesOverTheLimitAreRefusedAndNothingIsWritten() {
        long before = store.currentRevision();
        byte[] tooBig = new byte[KeyValueStore.MAX_VALUE_BYTES + 1];
        assertThatThrownBy(() -> store.create("/big", tooBig))
                .isInstanceOf(ValueTooLargeException.class)
                .hasMessageContaining("limit");
        assertThat(store.get("/big").kv()).isEmpty();
        assertThat(store.currentRevision()).isEqualTo(before);

        byte[] large = new byte[1024 * 1024];
        large[large.length - 1] = 7;
        store.create("/big", large);
        assertThat(store.get("/big").kv().orElseThrow().value()).isEqualTo(large);
    }

    @Test
    void exactlyOneOfManyRacingCompareAndSwapsWins() throws Exception {
        KeyValue created = store.create("/race", value("start"));
        int racers = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String mine = "racer-" + i;
            tasks.add(() -> {
                go.await();
                try {
                    store.update("/race", value(mine), created.modRevision());
                    return true;
                } catch (ConflictException lost) {
                    return false;
                }
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (Callable<Boolean> task : tasks) {
                results.add(pool.submit(task));
            }
            go.countDown();
            int wins = 0;
            for (Future<Boolean> result : results) {
                wins += result.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        KeyValue after = store.get("/race").kv().orElseThrow();
        assertThat(after.version()).isEqualTo(2);
        assertThat(after.modRevision()).isEqualTo(created.modRevision() + 1);
    }

    @Test
    void concurrentWritersGetDistinctGapFreeRevisions() throws Exception {
        long start = store.currentRevision();
        int writers = 32;
        int each = 10;
        List<Long> revisions = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        AtomicLong failures = new AtomicLong();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        try {
                            revisions.add(store.create("/cc/" + writer + "/" + i, value("x")).modRevision());
                        } catch (StoreException e) {
                            failures.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures.get()).isZero();
        assertThat(revisions).containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(start + 1, start + (long) writers * each).boxed().toList());
    }
}

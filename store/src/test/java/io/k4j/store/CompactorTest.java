package io.k4j.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.store.sqlite.SqliteStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compaction schedule, tick by tick: each tick compacts to what the previous tick saw. */
class CompactorTest {

    @TempDir
    Path dir;

    @Test
    void eachTickCompactsToTheRevisionSeenAtThePreviousTick() {
        try (SqliteStore store = SqliteStore.open(dir.resolve("state.db"));
             Compactor compactor = new Compactor(store)) {
            assertThat(compactor.tick()).as("nothing seen yet").isZero();
            for (int i = 0; i < 5; i++) {
                store.create("/a/" + i, new byte[1]);
            }
            assertThat(compactor.tick()).as("the first tick saw an empty store").isZero();
            store.create("/b", new byte[1]);
            assertThat(compactor.tick()).isEqualTo(5);
            assertThat(compactor.tick()).isEqualTo(6);
            assertThat(compactor.tick()).as("no writes since: compacting again to the same point").isEqualTo(6);
        }
    }
}

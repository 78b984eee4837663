package io.k4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark's AOT cache (the server's, the scheduler's): recorded when the file is missing or older than the jars,
 * used when it is there and newer.
 */
class AotCacheTest {

    private static final FileTime JARS_BUILT = FileTime.from(Instant.parse("2026-11-28T01:00:00Z"));

    @TempDir
    Path dir;

    @Test
    void aMissingCacheIsRecordedByTheRun() throws Exception {
        AotCache cache = AotCache.at(dir.resolve("server.aot"), JARS_BUILT);
        assertThat(cache.recording()).isTrue();
        assertThat(cache.jvmFlags()).first().isEqualTo("-XX:AOTCacheOutput=" + dir.resolve("server.aot"));
        assertThat(cache.describe()).isEqualTo("recorded by this run");
    }

    @Test
    void aCacheNewerThanTheJarsIsUsed() throws Exception {
        Path file = Files.writeString(dir.resolve("server.aot"), "cache");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-28T01:00:01Z")));
        AotCache cache = AotCache.at(file, JARS_BUILT);
        assertThat(cache.recording()).isFalse();
        assertThat(cache.jvmFlags()).first().isEqualTo("-XX:AOTCache=" + file);
        assertThat(cache.jvmFlags()).doesNotContain("-XX:AOTCacheOutput=" + file);
        assertThat(cache.describe()).isEqualTo("from an earlier run");
    }

    @Test
    void aCacheMadeBeforeTheJarsWereBuiltIsDeletedAndRecordedAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("scheduler.aot"), "cache");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-28T00:59:59Z")));
        AotCache cache = AotCache.at(file, JARS_BUILT);
        assertThat(cache.recording()).isTrue();
        assertThat(file).doesNotExist();
        assertThat(cache.jvmFlags()).first().isEqualTo("-XX:AOTCacheOutput=" + file);
    }

    @Test
    void aCacheWrittenAfterThisJvmsJarsIsUsed() throws Exception {
        Path file = Files.writeString(dir.resolve("server.aot"), "cache"); // now: after every jar this JVM runs from
        assertThat(AotCache.at(file).recording()).isFalse();
        assertThat(AotCache.at(dir.resolve("missing.aot")).recording()).isTrue();
    }
}

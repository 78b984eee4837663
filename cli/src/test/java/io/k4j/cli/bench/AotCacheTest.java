package io.k4j.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.bench.AotCache;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark's AOT cache (the server's, the scheduler's): recorded when the file is missing, used when it is there. */
class AotCacheTest {

    @TempDir
    Path dir;

    @Test
    void aMissingCacheIsRecordedByTheRun() {
        AotCache cache = AotCache.at(dir.resolve("server.aot"));
        assertThat(cache.recording()).isTrue();
        assertThat(cache.jvmFlags()).first().isEqualTo("-XX:AOTCacheOutput=" + dir.resolve("server.aot"));
        assertThat(cache.describe()).isEqualTo("recorded by this run");
    }

    @Test
    void anExistingCacheIsUsed() throws Exception {
        Path file = Files.writeString(dir.resolve("server.aot"), "cache");
        AotCache cache = AotCache.at(file);
        assertThat(cache.recording()).isFalse();
        assertThat(cache.jvmFlags()).first().isEqualTo("-XX:AOTCache=" + file);
        assertThat(cache.jvmFlags()).doesNotContain("-XX:AOTCacheOutput=" + file);
        assertThat(cache.describe()).isEqualTo("from an earlier run");
    }
}

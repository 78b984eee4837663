package io.k4j.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.bench.ServerAotCache;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pods benchmark's server AOT cache: recorded when the file is missing, used when it is there. */
class ServerAotCacheTest {

    @TempDir
    Path dir;

    @Test
    void aMissingCacheIsRecordedByTheRun() {
        ServerAotCache cache = ServerAotCache.at(dir.resolve("server.aot"));
        assertThat(cache.recording()).isTrue();
        assertThat(cache.jvmFlags()).first().isEqualTo("-XX:AOTCacheOutput=" + dir.resolve("server.aot"));
        assertThat(cache.describe()).isEqualTo("recorded by this run");
    }

    @Test
    void anExistingCacheIsUsed() throws Exception {
        Path file = Files.writeString(dir.resolve("server.aot"), "cache");
        ServerAotCache cache = ServerAotCache.at(file);
        assertThat(cache.recording()).isFalse();
        assertThat(cache.jvmFlags()).first().isEqualTo("-XX:AOTCache=" + file);
        assertThat(cache.jvmFlags()).doesNotContain("-XX:AOTCacheOutput=" + file);
        assertThat(cache.describe()).isEqualTo("from an earlier run");
    }
}

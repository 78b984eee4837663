package io.k4j.kubelet.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.kubelet.runtime.ContainerRuntime;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotatorTest {

    @TempDir
    Path dir;

    @Test
    void rotatesOverSizeReopensAndKeepsMaxFilesMinusOne() throws Exception {
        List<String> reopened = new ArrayList<>();
        Path log = dir.resolve("0.log");
        ContainerRuntime runtime = (ContainerRuntime) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ContainerRuntime.class}, (proxy, method, args) -> {
                    if (method.getName().equals("reopenContainerLog")) {
                        reopened.add((String) args[0]);
                        Files.writeString(log, "");
                    }
                    return null;
                });
        Instant[] now = {Instant.parse("2026-11-27T01:00:00Z")};
        LogRotator rotator = new LogRotator(runtime, () -> now[0], 10, 3);

        Files.writeString(log, "0123456789");
        assertThat(rotator.rotate("c1", log)).isFalse();
        for (int i = 0; i < 4; i++) {
            Files.writeString(log, "01234567890-" + i);
            assertThat(rotator.rotate("c1", log)).isTrue();
            now[0] = now[0].plusSeconds(1);
        }
        assertThat(reopened).containsExactly("c1", "c1", "c1", "c1");
        assertThat(LogRotator.rotatedFiles(log)).extracting(path -> path.getFileName().toString())
                .containsExactly("0.log.20261127-010002", "0.log.20261127-010003");
        assertThat(Files.readString(dir.resolve("0.log.20261127-010003"))).isEqualTo("01234567890-3");
        assertThat(Files.readString(log)).isEmpty();
    }
}

package io.k4j.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostFilesTest {

    @Test
    void readsSysctlFilesWhole() throws Exception {
        Path pidMax = Path.of("/proc/sys/kernel/pid_max");
        assumeTrue(Files.exists(pidMax), "needs Linux's /proc");
        ProcessBuilder cat = new ProcessBuilder("cat", pidMax.toString());
        String expected = new String(cat.start().getInputStream().readAllBytes()).trim();

        // /proc/sys files report a size of one byte; a read sized by it would give "3" for 32768.
        assertThat(HostFiles.system().firstLine(pidMax.toString())).contains(expected);
    }
}

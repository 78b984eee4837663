package io.k4j.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineInfoTest {

    @TempDir
    Path root;

    static HostFiles files(Path root, Map<String, String> contents) throws IOException {
        for (var entry : contents.entrySet()) {
            Path file = root.resolve(entry.getKey().substring(1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, entry.getValue());
        }
        return HostFiles.under(root);
    }

    @Test
    void readsTheMachineLikeUpstreamsKubelet() throws IOException {
        HostFiles files = files(root, Map.of(
                "/proc/sys/kernel/hostname", "Node-1\n",
                "/proc/meminfo", "MemTotal:       24578596 kB\nMemFree:         1000 kB\nMemAvailable:   20000000 kB\n",
                "/etc/os-release", "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n",
                "/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n",
                "/etc/machine-id", "0123456789abcdef0123456789abcdef\n",
                "/proc/sys/kernel/random/boot_id", "5d1f0b53-1ef8-4a0e-a3f8-2bb8e01c5d4b\n"));

        MachineInfo machine = MachineInfo.read(files, 2, "amd64");

        assertThat(machine).isEqualTo(new MachineInfo("node-1", 2, 24578596L * 1024, "linux", "amd64",
                "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64", "0123456789abcdef0123456789abcdef", "",
                "5d1f0b53-1ef8-4a0e-a3f8-2bb8e01c5d4b"));
    }

    @Test
    void missingFilesGiveUpstreamsFallbacks() {
        MachineInfo machine = MachineInfo.read(HostFiles.under(root), 4, "aarch64");

        assertThat(machine.osImage()).isEqualTo("Linux");
        assertThat(machine.architecture()).isEqualTo("arm64");
        assertThat(machine.memoryBytes()).isZero();
        assertThat(machine.hostname()).isEqualTo("localhost");
    }

    @Test
    void javaArchitecturesInGosSpelling() {
        assertThat(MachineInfo.goArch("x86_64")).isEqualTo("amd64");
        assertThat(MachineInfo.goArch("amd64")).isEqualTo("amd64");
        assertThat(MachineInfo.goArch("aarch64")).isEqualTo("arm64");
        assertThat(MachineInfo.goArch("ppc64le")).isEqualTo("ppc64le");
    }

    @Test
    void osImageIsUnquoted() {
        assertThat(MachineInfo.osImage("PRETTY_NAME='Alpine Linux v3.20'\n")).isEqualTo("Alpine Linux v3.20");
        assertThat(MachineInfo.osImage("PRETTY_NAME=Plain\n")).isEqualTo("Plain");
    }

    @Test
    void signalsComeFromMeminfoLoadavgAndThePidLimits() throws IOException {
        HostFiles files = files(root, Map.of(
                "/proc/meminfo", "MemTotal: 2048 kB\nMemAvailable: 1024 kB\n",
                "/proc/sys/kernel/pid_max", "4194304\n",
                "/proc/sys/kernel/threads-max", "95763\n",
                "/proc/loadavg", "0.50 0.40 0.30 2/1234 5678\n"));

        NodeSignals signals = NodeSignals.read(files, root.resolve("not/yet/created"));

        assertThat(signals.memoryAvailableBytes()).isEqualTo(1024L * 1024);
        assertThat(signals.pidLimit()).isEqualTo(95763);
        assertThat(signals.processes()).isEqualTo(1234);
        assertThat(signals.pidAvailable()).isEqualTo(95763 - 1234);
        assertThat(signals.nodefsCapacityBytes()).isEqualTo(Files.getFileStore(root).getTotalSpace());
    }
}

package io.k4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuntimeChoiceTest {

    /** A machine with these executables on the PATH and these files. */
    private record FakeHost(boolean root, Set<String> executables, Set<Path> files) implements RuntimeChoice.Host {
        @Override
        public Optional<Path> which(String executable) {
            return executables.contains(executable) ? Optional.of(Path.of("/usr/bin", executable)) : Optional.empty();
        }

        @Override
        public boolean exists(Path file) {
            return files.contains(file);
        }

        @Override
        public Optional<String> versionLine(Path executable) {
            return Optional.of(executable.getFileName() + (executable.endsWith("runc") ? " version 1.1.5+ds1" : " version 1.8.1"));
        }
    }

    static final Set<Path> CNI = Set.of(Path.of("/usr/lib/cni/bridge"));
    static final FakeHost COMPLETE = new FakeHost(true, Set.of("runc", "crun", "conmon"), CNI);

    @Test
    void runcByDefaultWhereEverythingIsThere() {
        assertThat(RuntimeChoice.choose(null, COMPLETE)).isEqualTo(new RuntimeChoice("runc", "runc://1.1.5", null));
        assertThat(RuntimeChoice.choose("crun", COMPLETE)).isEqualTo(new RuntimeChoice("crun", "crun://1.8.1", null));
    }

    @Test
    void otherwiseTheSimulatedRuntimeAndWhy() {
        FakeHost user = new FakeHost(false, Set.of("runc", "conmon"), CNI);
        FakeHost bare = new FakeHost(true, Set.of(), Set.of());

        assertThat(RuntimeChoice.choose(null, user)).isEqualTo(new RuntimeChoice("simulated", "simulated://1",
                "not running as root"));
        assertThat(RuntimeChoice.choose(null, bare).reason()).isEqualTo("runc is not installed, conmon is not installed, "
                + "the CNI plugins are not installed (no bridge in /usr/lib/cni or /opt/cni/bin)");
        assertThat(RuntimeChoice.choose("simulated", COMPLETE)).isEqualTo(RuntimeChoice.simulated(null));
    }

    @Test
    void anExplicitRealRuntimeThatCannotRunIsAnError() {
        assertThatThrownBy(() -> RuntimeChoice.choose("runc", new FakeHost(false, Set.of("runc", "conmon"), CNI)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--runtime runc cannot run here: not running as root");
        assertThatThrownBy(() -> RuntimeChoice.choose("docker", COMPLETE))
                .hasMessage("--runtime: unknown runtime docker; known: [runc, crun, simulated]");
    }

    @Test
    void versionsWithoutTheirBuildSuffix() {
        assertThat(RuntimeChoice.version("runc version 1.1.5+ds1")).isEqualTo("1.1.5");
        assertThat(RuntimeChoice.version("crun version 1.8.1")).isEqualTo("1.8.1");
        assertThat(RuntimeChoice.version("")).isEqualTo("unknown");
    }
}

package io.k4j.kubelet.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PrerequisitesTest {

    @Test
    void eachMissingPieceIsNamedPlainly() {
        assertThat(OciRuntime.unavailableReasons(Path.of("/nope/runc"), Path.of("/nope/conmon"), Path.of("/nope/cni")))
                .contains("OCI runtime /nope/runc not found", "conmon /nope/conmon not found",
                        "CNI plugins bridge, host-local, loopback, portmap not found in /nope/cni");
    }

    @Test
    void onlyRuncAndCrunAreKnownRuntimes() {
        assertThatThrownBy(() -> OciBinary.named("kata", Path.of("/tmp")))
                .hasMessage("unknown OCI runtime kata: use runc or crun");
    }
}

package io.k4j.kubelet.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.kubelet.image.ImageService.RegistryCredential;
import io.k4j.kubelet.image.RegistriesConfig.Endpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RegistriesConfigTest {
    private static final String YAML = """
            mirrors:
              docker.io:
                endpoint:
                  - "http://127.0.0.1:5000"
                  - "https://mirror.example.com/v2"
              "*":
                endpoint: ["https://everything.example.com:8443"]
            configs:
              "mirror.example.com":
                auth:
                  username: alice
                  password: s3cret
                tls:
                  insecure_skip_verify: true
              "private.example.com:5000":
                auth:
                  auth: Ym9iOmh1bnRlcjI=
            """;

    @Test
    void mirrorsInOrderThenTheRegistryItself() {
        RegistriesConfig config = RegistriesConfig.parse(YAML, "registries.yaml");

        assertThat(config.endpoints("docker.io")).containsExactly(
                new Endpoint("127.0.0.1:5000", true, null),
                new Endpoint("mirror.example.com", true, new RegistryCredential("mirror.example.com", "alice", "s3cret")),
                new Endpoint("docker.io", false, null));
        assertThat(config.endpoints("private.example.com:5000")).containsExactly(
                new Endpoint("everything.example.com:8443", false, null),
                new Endpoint("private.example.com:5000", false,
                        new RegistryCredential("private.example.com:5000", "bob", "hunter2")));
    }

    @Test
    void loopbackRegistriesArePlainHttpWithoutConfig() {
        assertThat(RegistriesConfig.empty().endpoints("127.0.0.1:40000"))
                .containsExactly(new Endpoint("127.0.0.1:40000", true, null));
        assertThat(RegistriesConfig.empty().endpoints("localhost:5000"))
                .containsExactly(new Endpoint("localhost:5000", true, null));
        assertThat(RegistriesConfig.empty().endpoints("quay.io")).containsExactly(new Endpoint("quay.io", false, null));
    }

    @Test
    void emptyOrMissingFilesAreEmptyConfigs() throws Exception {
        assertThat(RegistriesConfig.parse("", "x").endpoints("docker.io")).hasSize(1);
        assertThat(RegistriesConfig.load(Path.of("/nonexistent/registries.yaml")).endpoints("docker.io")).hasSize(1);
    }

    @Test
    void badYamlSaysWhere() {
        assertThatThrownBy(() -> RegistriesConfig.parse("mirrors: [unclosed", "/etc/k4j/registries.yaml"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("/etc/k4j/registries.yaml: ");
        assertThatThrownBy(() -> RegistriesConfig.parse("- a\n- b\n", "r.yaml"))
                .hasMessage("r.yaml: expected a mapping with mirrors and configs");
    }

    @Test
    void endpointsNeverPrintPasswords() {
        Endpoint endpoint = RegistriesConfig.parse(YAML, "r").endpoints("docker.io").get(1);
        assertThat(endpoint.toString()).isEqualTo("mirror.example.com").doesNotContain("s3cret");
    }
}

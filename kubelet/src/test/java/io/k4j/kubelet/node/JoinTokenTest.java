package io.k4j.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JoinTokenTest {

    static final byte[] CA = "-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theFullFormNamesTheCaAndTheSecret() {
        String full = JoinToken.full(CA, "K10abcdef");

        JoinToken token = JoinToken.parse(full);

        assertThat(full).isEqualTo("K10" + JoinToken.sha256(CA) + "::server:K10abcdef");
        assertThat(token.caHash()).hasSize(64);
        assertThat(token.username()).isEqualTo("server");
        assertThat(token.secret()).isEqualTo("K10abcdef");
        assertThat(token.matches(CA)).isTrue();
        assertThat(token.matches("other".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(token.toString()).doesNotContain("K10abcdef");
    }

    @Test
    void aBareSecretHasNoCaHash() {
        JoinToken ours = JoinToken.parse("K10" + "ab".repeat(24) + "\n");
        JoinToken anything = JoinToken.parse("my-shared-secret");

        assertThat(ours.hasCaHash()).isFalse();
        assertThat(ours.secret()).isEqualTo("K10" + "ab".repeat(24));
        assertThat(anything.secret()).isEqualTo("my-shared-secret");
        assertThat(anything.matches(CA)).isFalse();
    }

    @Test
    void malformedTokensAreRefusedPlainly() {
        assertThatThrownBy(() -> JoinToken.parse(" ")).hasMessage("the join token is empty");
        assertThatThrownBy(() -> JoinToken.parse("K10xyz::server:secret"))
                .hasMessage("the join token's CA hash is not a sha256 hex digest: xyz");
        assertThatThrownBy(() -> JoinToken.parse("K10" + "a".repeat(64) + "::secret"))
                .hasMessage("the join token has no USER:SECRET after its CA hash");
    }
}

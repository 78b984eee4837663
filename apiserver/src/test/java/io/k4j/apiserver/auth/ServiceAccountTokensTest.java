package io.k4j.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class ServiceAccountTokensTest {

    private static final String ISSUER = ServiceAccountTokens.DEFAULT_ISSUER;

    @TempDir
    Path dir;

    private final Map<String, String> uids = new HashMap<>(Map.of("ServiceAccount/ns/robot", "sa-uid",
            "Pod/ns/web", "pod-uid"));
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

    private ServiceAccountTokens tokens(KeyPair keys) {
        return new ServiceAccountTokens(keys, ISSUER, List.of(ISSUER), now::get,
                (kind, namespace, name) -> Optional.ofNullable(uids.get(kind + "/" + namespace + "/" + name)));
    }

    @Test
    void issuedTokensAuthenticateAsTheServiceAccountUntilTheyExpire() throws Exception {
        ServiceAccountTokens tokens = tokens(ServiceAccountTokens.loadOrCreateKeys(dir));
        String token = tokens.issue("ns", "robot", "sa-uid", List.of(), 600, null).token();
        ObjectNode claims = Json.parseObject(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertThat(claims.path("iss").asString()).isEqualTo(ISSUER);
        assertThat(claims.path("nbf").asLong()).isEqualTo(claims.path("iat").asLong());
        assertThat(claims.path("kubernetes.io").path("namespace").asString()).isEqualTo("ns");

        UserInfo user = tokens.authenticate(token, List.of()).orElseThrow();
        assertThat(user.name()).isEqualTo("system:serviceaccount:ns:robot");
        assertThat(user.uid()).isEqualTo("sa-uid");
        assertThat(user.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:ns",
                "system:authenticated");
        assertThat(user.extra()).containsKey("authentication.kubernetes.io/credential-id");

        now.set(now.get().plusSeconds(600 + 61));
        assertThat(tokens.authenticate(token, List.of())).isEmpty();
    }

    @Test
    void audiencesKeysAndObjectsMustMatch() throws Exception {
        KeyPair keys = ServiceAccountTokens.loadOrCreateKeys(dir);
        ServiceAccountTokens tokens = tokens(keys);
        String vault = tokens.issue("ns", "robot", "sa-uid", List.of("vault"), 600, null).token();
        assertThat(tokens.authenticate(vault, List.of())).isEmpty();
        assertThat(tokens.authenticate(vault, List.of("vault", "other"))).isPresent();
        assertThat(tokens.audiences(vault)).containsExactly("vault");

        // The key survives a restart; another key does not verify.
        assertThat(tokens(ServiceAccountTokens.loadOrCreateKeys(dir)).authenticate(vault, List.of("vault")))
                .isPresent();
        Path other = Files.createDirectories(dir.resolve("other"));
        assertThat(tokens(ServiceAccountTokens.loadOrCreateKeys(other)).authenticate(vault, List.of("vault")))
                .isEmpty();

        String bound = tokens.issue("ns", "robot", "sa-uid", List.of(), 3600,
                new ServiceAccountTokens.BoundObject("Pod", "web", "pod-uid")).token();
        UserInfo user = tokens.authenticate(bound, List.of()).orElseThrow();
        assertThat(user.extra()).containsEntry("authentication.kubernetes.io/pod-name", List.of("web"));
        uids.put("Pod/ns/web", "another-pod");
        assertThat(tokens.authenticate(bound, List.of())).isEmpty();
        uids.remove("ServiceAccount/ns/robot");
        assertThat(tokens.authenticate(vault, List.of("vault"))).isEmpty();
        assertThat(tokens.authenticate("not.a.jwt", List.of())).isEmpty();
        assertThat(tokens.authenticate("abc", List.of())).isEmpty();
    }

    @Test
    void theAuthorizerChainGivesReasonsAndRules() {
        Authorizer chain = Authorizer.chain(List.of(Authorizer.AUTHENTICATED));
        UserInfo bob = new UserInfo("bob", "", List.of("system:authenticated"));
        Authorizer.Verdict verdict = chain.decide(new Authorizer.Attributes(bob, "get", "", "pods", "", "default",
                "", ""));
        assertThat(verdict.decision()).isEqualTo(Authorizer.Decision.ALLOW);
        assertThat(verdict.reason()).isNotEmpty();
        assertThat(chain.decide(new Authorizer.Attributes(UserInfo.ANONYMOUS, "get", "", "pods", "", "", "", ""))
                .decision()).isEqualTo(Authorizer.Decision.DENY);
        Authorizer.Rules rules = chain.rules(bob, "default");
        assertThat(rules.incomplete()).isFalse();
        assertThat(rules.resourceRules()).singleElement().satisfies(rule -> {
            assertThat(rule.verbs()).containsExactly("*");
            assertThat(rule.apiGroups()).containsExactly("*");
        });
        assertThat(chain.rules(UserInfo.ANONYMOUS, "default").resourceRules()).isEmpty();
    }
}

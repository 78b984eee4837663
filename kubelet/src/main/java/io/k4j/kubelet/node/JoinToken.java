package io.k4j.kubelet.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A join token in k3s's formats: the full {@code K10<sha256 of the CA bundle>::<user>:<secret>}, which lets a joining
 * node check the CA it is served, or a bare secret, which does not (the CA is then trusted on first use).
 *
 * @param caHash   the CA bundle's sha256 in lower-case hex, or null for a bare secret
 * @param username "server" in the full form, null for a bare secret
 * @param secret   what the node presents as its bearer token
 */
public record JoinToken(String caHash, String username, String secret) {

    private static final String PREFIX = "K10";

    public static JoinToken parse(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the join token is empty");
        }
        String trimmed = token.trim();
        int separator = trimmed.indexOf("::");
        if (!trimmed.startsWith(PREFIX) || separator < 0) {
            return new JoinToken(null, null, trimmed);
        }
        String hash = trimmed.substring(PREFIX.length(), separator).toLowerCase(Locale.ROOT);
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("the join token's CA hash is not a sha256 hex digest: " + hash);
        }
        String credentials = trimmed.substring(separator + 2);
        int colon = credentials.indexOf(':');
        if (colon <= 0 || colon == credentials.length() - 1) {
            throw new IllegalArgumentException("the join token has no USER:SECRET after its CA hash");
        }
        return new JoinToken(hash, credentials.substring(0, colon), credentials.substring(colon + 1));
    }

    /** The full form for a server's secret: {@code K10<hash>::server:<secret>}. */
    public static String full(byte[] caBundle, String secret) {
        return PREFIX + sha256(caBundle) + "::server:" + secret;
    }

    public boolean hasCaHash() {
        return caHash != null;
    }

    /** Whether {@code caBundle} (the bytes /cacerts served) is the CA this token names. */
    public boolean matches(byte[] caBundle) {
        return caHash != null && MessageDigest.isEqual(caHash.getBytes(StandardCharsets.US_ASCII),
                sha256(caBundle).getBytes(StandardCharsets.US_ASCII));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return hasCaHash() ? "K10" + caHash + "::" + username + ":<secret>" : "<secret>";
    }
}

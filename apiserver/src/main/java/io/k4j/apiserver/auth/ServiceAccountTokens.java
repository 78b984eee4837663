package io.k4j.apiserver.auth;

import io.k4j.apiserver.api.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Service-account tokens: JWTs signed with ES256 (ECDSA P-256, SHA-256) by a key kept in the server's TLS directory
 * ({@code service.key}, with {@code service.pub}), issued by TokenRequest and accepted as bearer tokens.
 *
 * <p>Claims: {@code iss}, {@code sub = system:serviceaccount:NS:NAME}, {@code aud} (a list), {@code exp}, {@code iat},
 * {@code nbf}, {@code jti}, and the private {@code kubernetes.io} claim naming the namespace, the service account
 * (name and uid) and, for bound tokens, the pod or secret (name and uid). A token is accepted if its signature and
 * times are good, one of its audiences is the server's, and the service account (and bound object) still exists
 * with the same uid.
 */
public final class ServiceAccountTokens {

    /** The issuer, and the audience the API server accepts; as upstream clusters are usually set up. */
    public static final String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";

    /** Tokens live one hour unless the request asks otherwise; at least ten minutes. */
    public static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    public static final long MIN_EXPIRATION_SECONDS = 600;
    /** Upstream's cap on a token's lifetime is a flag; this is k4j's fixed one (one year). */
    public static final long MAX_EXPIRATION_SECONDS = 365L * 24 * 3600;

    private static final String ALGORITHM = "SHA256withECDSAinP1363Format";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
    /** Clock skew tolerated on nbf and exp, in seconds. */
    private static final long LEEWAY = 60;

    /** Finds an object's uid: kind is "ServiceAccount", "Pod" or "Secret"; empty if there is no such object. */
    @FunctionalInterface
    public interface ObjectLookup {
        Optional<String> uid(String kind, String namespace, String name);
    }

    /** A bound object of a token, as TokenRequest's spec.boundObjectRef names it. */
    public record BoundObject(String kind, String name, String uid) {
    }

    /** An issued token and when it expires. */
    public record Issued(String token, Instant expires) {
    }

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;
    private final String issuer;
    private final List<String> apiAudiences;
    private final InstantSource clock;
    private final ObjectLookup lookup;

    public ServiceAccountTokens(KeyPair keys, String issuer, List<String> apiAudiences, InstantSource clock,
                                ObjectLookup lookup) {
        this.privateKey = keys.getPrivate();
        this.publicKey = keys.getPublic();
        this.issuer = issuer;
        this.apiAudiences = List.copyOf(apiAudiences);
        this.clock = clock;
        this.lookup = lookup;
        try {
            this.keyId = B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signing key pair in DIR/service.key and DIR/service.pub, made on first use. */
    public static KeyPair loadOrCreateKeys(Path dir) throws IOException {
        Path privateFile = dir.resolve("service.key");
        Path publicFile = dir.resolve("service.pub");
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            if (Files.exists(privateFile) && Files.exists(publicFile)) {
                PrivateKey privateKey =
                        factory.generatePrivate(new PKCS8EncodedKeySpec(pem(privateFile, "PRIVATE KEY")));
                PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(pem(publicFile, "PUBLIC KEY")));
                return new KeyPair(publicKey, privateKey);
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            Files.createDirectories(dir);
            Files.deleteIfExists(privateFile);
            Files.createFile(privateFile,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(privateFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()),
                    StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            Files.writeString(publicFile, pem("PUBLIC KEY", keys.getPublic().getEncoded()), StandardCharsets.US_ASCII);
            return keys;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load or create the service-account signing key in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] pem(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN " + type + "-----");
        int end = text.indexOf("-----END " + type + "-----");
        if (begin < 0 || end < begin) {
            throw new IOException(file + " does not hold a PEM " + type);
        }
        return Base64.getMimeDecoder().decode(text.substring(begin + type.length() + 16, end));
    }

    public String issuer() {
        return issuer;
    }

    public List<String> apiAudiences() {
        return apiAudiences;
    }

    /** Issues a token for NS/NAME (uid saUid) with these audiences (empty: the API server's), for this long. */
    public Issued issue(String namespace, String name, String saUid, List<String> audiences, long expirationSeconds,
                        BoundObject bound) {
        Instant now = clock.instant();
        Instant expires = now.plusSeconds(expirationSeconds);
        ObjectNode claims = Json.object();
        ArrayNode aud = claims.putArray("aud");
        (audiences.isEmpty() ? apiAudiences : audiences).forEach(aud::add);
        claims.put("exp", expires.getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("iss", issuer);
        claims.put("jti", UUID.randomUUID().toString());
        ObjectNode kubernetes = claims.putObject("kubernetes.io");
        kubernetes.put("namespace", namespace);
        if (bound != null) {
            ObjectNode object = kubernetes.putObject(bound.kind().toLowerCase(java.util.Locale.ROOT));
            object.put("name", bound.name());
            object.put("uid", bound.uid());
        }
        ObjectNode serviceAccount = kubernetes.putObject("serviceaccount");
        serviceAccount.put("name", name);
        serviceAccount.put("uid", saUid);
        claims.put("nbf", now.getEpochSecond());
        claims.put("sub", "system:serviceaccount:" + namespace + ":" + name);
        return new Issued(sign(claims), expires);
    }

    /** Signs claims into a compact JWS; public for tests that need tokens the server would not issue. */
    public String sign(ObjectNode claims) {
        ObjectNode header = Json.object();
        header.put("alg", "ES256");
        header.put("kid", keyId);
        String signingInput = B64.encodeToString(Json.bytes(header)) + "." + B64.encodeToString(Json.bytes(claims));
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(privateKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a service-account token", e);
        }
    }

    /** Whether a bearer token looks like a JWT at all (three dot-separated parts), so it is ours to judge. */
    public static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first + 1
                && token.chars().filter(c -> c == '.').count() == 2;
    }

    /**
     * The service-account user of a token, or empty if it is not a valid token of this issuer for one of the given
     * audiences (empty: the API server's own) or its service account is gone.
     */
    public Optional<UserInfo> authenticate(String token, List<String> audiences) {
        ObjectNode claims = verifiedClaims(token);
        if (claims == null || !issuer.equals(claims.path("iss").asString(""))) {
            return Optional.empty();
        }
        long now = clock.instant().getEpochSecond();
        if (!claims.path("exp").isNumber() || claims.path("exp").asLong() + LEEWAY < now
                || claims.path("nbf").asLong(0) - LEEWAY > now) {
            return Optional.empty();
        }
        List<String> wanted = audiences.isEmpty() ? apiAudiences : audiences;
        if (!intersects(claims.path("aud"), wanted)) {
            return Optional.empty();
        }
        JsonNode kubernetes = claims.path("kubernetes.io");
        String namespace = kubernetes.path("namespace").asString("");
        String name = kubernetes.path("serviceaccount").path("name").asString("");
        String uid = kubernetes.path("serviceaccount").path("uid").asString("");
        if (namespace.isEmpty() || name.isEmpty()
                || !claims.path("sub").asString("").equals("system:serviceaccount:" + namespace + ":" + name)
                || !lookup.uid("ServiceAccount", namespace, name).map(uid::equals).orElse(false)) {
            return Optional.empty();
        }
        Map<String, List<String>> extra = new java.util.LinkedHashMap<>();
        for (String kind : List.of("Pod", "Secret")) {
            JsonNode bound = kubernetes.path(kind.toLowerCase(java.util.Locale.ROOT));
            if (bound.isObject()) {
                String boundName = bound.path("name").asString("");
                String boundUid = bound.path("uid").asString("");
                if (!lookup.uid(kind, namespace, boundName).map(boundUid::equals).orElse(false)) {
                    return Optional.empty(); // the object the token was bound to is gone
                }
                if (kind.equals("Pod")) {
                    extra.put("authentication.kubernetes.io/pod-name", List.of(boundName));
                    extra.put("authentication.kubernetes.io/pod-uid", List.of(boundUid));
                }
            }
        }
        if (claims.hasNonNull("jti")) {
            extra.put("authentication.kubernetes.io/credential-id", List.of("JTI=" + claims.path("jti").asString()));
        }
        List<String> groups = new ArrayList<>(List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace,
                "system:authenticated"));
        return Optional.of(new UserInfo("system:serviceaccount:" + namespace + ":" + name, uid, groups, extra));
    }

    /** The audiences of a token that verifies, whatever they are; empty if it does not verify. */
    public List<String> audiences(String token) {
        ObjectNode claims = verifiedClaims(token);
        List<String> audiences = new ArrayList<>();
        if (claims != null) {
            JsonNode aud = claims.path("aud");
            if (aud.isString()) {
                audiences.add(aud.asString());
            } else {
                aud.forEach(value -> audiences.add(value.asString("")));
            }
        }
        return audiences;
    }

    private static boolean intersects(JsonNode aud, List<String> wanted) {
        if (aud.isString()) {
            return wanted.contains(aud.asString());
        }
        for (JsonNode value : aud) {
            if (wanted.contains(value.asString(""))) {
                return true;
            }
        }
        return false;
    }

    /** The claims of a well-formed ES256 token whose signature this server's key made, or null. */
    private ObjectNode verifiedClaims(String token) {
        if (!looksLikeJwt(token)) {
            return null;
        }
        String[] parts = token.split("\\.");
        try {
            JsonNode header = Json.parse(B64_DECODER.decode(parts[0]));
            if (!"ES256".equals(header.path("alg").asString(""))) {
                return null;
            }
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initVerify(publicKey);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(B64_DECODER.decode(parts[2]))) {
                return null;
            }
            return Json.parse(B64_DECODER.decode(parts[1])) instanceof ObjectNode claims ? claims : null;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        } catch (RuntimeException e) {
            return null; // JSON that does not parse
        }
    }
}

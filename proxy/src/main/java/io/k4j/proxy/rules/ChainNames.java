package io.k4j.proxy.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/** kube-proxy's chain names: a prefix and the first 16 characters of the base32 SHA-256 of what the chain serves. */
public final class ChainNames {

    public static final String SERVICES = "KUBE-SERVICES";
    public static final String EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES";
    public static final String NODEPORTS = "KUBE-NODEPORTS";
    public static final String POSTROUTING = "KUBE-POSTROUTING";
    public static final String MARK_MASQ = "KUBE-MARK-MASQ";
    public static final String FORWARD = "KUBE-FORWARD";
    public static final String FIREWALL = "KUBE-FIREWALL";
    /** k4j's own: marks hairpin connections (a local endpoint reaching itself) for masquerade. */
    public static final String HAIRPIN = "KUBE-PROXY-HAIRPIN";

    /** Top-level chains this proxy owns (nat and filter). */
    public static final Set<String> TOP_LEVEL = Set.of(SERVICES, EXTERNAL_SERVICES, NODEPORTS, POSTROUTING,
            MARK_MASQ, FORWARD, FIREWALL, HAIRPIN, "KUBE-PROXY-FIREWALL", "KUBE-PROXY-CANARY");

    /**
     * Prefixes of per-service chains. KUBE-SEP- (kube-proxy's per-endpoint chains, which this proxy does not make)
     * and KUBE-FW-/KUBE-XLB- (older kube-proxies') are cleaned up too.
     */
    public static final List<String> PER_SERVICE_PREFIXES =
            List.of("KUBE-SVC-", "KUBE-SVL-", "KUBE-EXT-", "KUBE-SEP-", "KUBE-FW-", "KUBE-XLB-");

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private ChainNames() {
    }

    public static String service(ServicePortInfo s) {
        return "KUBE-SVC-" + portProtoHash(s);
    }

    public static String serviceLocal(ServicePortInfo s) {
        return "KUBE-SVL-" + portProtoHash(s);
    }

    public static String external(ServicePortInfo s) {
        return "KUBE-EXT-" + portProtoHash(s);
    }

    /** kube-proxy's per-endpoint chain name, used here to name the endpoint's session affinity (recent) list. */
    public static String endpoint(ServicePortInfo s, EndpointInfo e) {
        return "KUBE-SEP-" + hash16(s.servicePortName() + s.lowerProtocol() + e.hostPort());
    }

    /** True for every chain {@link #TOP_LEVEL} or per-service, i.e. everything cleanup removes. */
    public static boolean owned(String chain) {
        return TOP_LEVEL.contains(chain) || perService(chain);
    }

    public static boolean perService(String chain) {
        return PER_SERVICE_PREFIXES.stream().anyMatch(chain::startsWith);
    }

    private static String portProtoHash(ServicePortInfo s) {
        return hash16(s.servicePortName() + s.lowerProtocol());
    }

    static String hash16(String input) {
        byte[] digest = SHA256.get().digest(input.getBytes(StandardCharsets.UTF_8));
        // 16 base32 characters are 80 bits, exactly the first 10 bytes.
        StringBuilder out = new StringBuilder(16);
        long bits = 0;
        int have = 0;
        for (int i = 0; i < 10; i++) {
            bits = (bits << 8) | (digest[i] & 0xff);
            have += 8;
            while (have >= 5) {
                out.append(BASE32[(int) (bits >> (have - 5)) & 31]);
                have -= 5;
            }
        }
        return out.toString();
    }
}

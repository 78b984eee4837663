package io.k4j.proxy;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** iptables-nft or iptables-legacy: the two kernel back ends, which must not both hold a node's rules. */
public enum IptablesMode {
    NFT("nft"),
    LEGACY("legacy");

    private static final Logger log = LoggerFactory.getLogger(IptablesMode.class);

    private final String suffix;

    IptablesMode(String suffix) {
        this.suffix = suffix;
    }

    public String iptables() {
        return "iptables-" + suffix;
    }

    public String restore() {
        return "iptables-" + suffix + "-restore";
    }

    public String save() {
        return "iptables-" + suffix + "-save";
    }

    /**
     * Picks the mode the way kube-proxy's image does (iptables-wrapper): the back end that already holds the
     * kubelet's marker chains, else the one holding more rules, else the one the plain {@code iptables} command
     * uses.
     */
    public static IptablesMode detect(Iptables exec) {
        String legacy = quietly(exec, List.of(LEGACY.save()));
        String nft = quietly(exec, List.of(NFT.save()));
        String version = quietly(exec, List.of("iptables", "--version"));
        IptablesMode mode = choose(legacy, nft, version);
        log.info("using iptables-{} ({})", mode.suffix, version.trim());
        return mode;
    }

    static IptablesMode choose(String legacySave, String nftSave, String iptablesVersion) {
        boolean legacyHint = hasMarker(legacySave);
        boolean nftHint = hasMarker(nftSave);
        if (legacyHint != nftHint) {
            return legacyHint ? LEGACY : NFT;
        }
        long legacyRules = ruleCount(legacySave);
        long nftRules = ruleCount(nftSave);
        if (legacyRules != nftRules) {
            return legacyRules > nftRules ? LEGACY : NFT;
        }
        return iptablesVersion.contains("legacy") ? LEGACY : NFT;
    }

    private static boolean hasMarker(String save) {
        return save.contains("KUBE-IPTABLES-HINT") || save.contains("KUBE-KUBELET-CANARY");
    }

    private static long ruleCount(String save) {
        return save.lines().filter(l -> l.startsWith("-A ")).count();
    }

    private static String quietly(Iptables exec, List<String> argv) {
        try {
            Iptables.Result r = exec.exec(argv, "");
            return r.ok() ? r.stdout() : "";
        } catch (IOException e) {
            return "";
        }
    }
}

package io.k4j.proxy.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * From one table's iptables-save output, the iptables-restore input (for --noflush) that removes everything this
 * proxy owns: rules in other chains that jump into its chains, then its chains (flushed by being declared,
 * then deleted). Chains of other software, even named KUBE-*, are left alone.
 */
public final class CleanupRenderer {

    private CleanupRenderer() {
    }

    /** @return the restore input, or an empty string when the table holds nothing of ours */
    public static String render(String table, String saveOutput) {
        TreeSet<String> owned = new TreeSet<>();
        List<String> deletes = new ArrayList<>();
        boolean inTable = false;
        for (String line : saveOutput.split("\n")) {
            if (line.startsWith("*")) {
                inTable = line.substring(1).trim().equals(table);
            } else if (!inTable) {
                continue;
            } else if (line.startsWith(":")) {
                String chain = line.substring(1).split(" ", 2)[0];
                if (ChainNames.owned(chain)) {
                    owned.add(chain);
                }
            } else if (line.startsWith("-A ")) {
                String[] words = line.split(" ", 3);
                if (!ChainNames.owned(words[1]) && jumpsToOwned(line)) {
                    deletes.add("-D " + line.substring(3));
                }
            }
        }
        if (owned.isEmpty() && deletes.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("*").append(table).append('\n');
        owned.forEach(c -> out.append(':').append(c).append(" - [0:0]\n"));
        deletes.forEach(d -> out.append(d).append('\n'));
        owned.forEach(c -> out.append("-X ").append(c).append('\n'));
        return out.append("COMMIT\n").toString();
    }

    /** The chains of a table from its iptables-save output that are per-service chains of ours. */
    public static List<String> perServiceChains(String table, String saveOutput) {
        List<String> chains = new ArrayList<>();
        boolean inTable = false;
        for (String line : saveOutput.split("\n")) {
            if (line.startsWith("*")) {
                inTable = line.substring(1).trim().equals(table);
            } else if (inTable && line.startsWith(":")) {
                String chain = line.substring(1).split(" ", 2)[0];
                if (ChainNames.perService(chain)) {
                    chains.add(chain);
                }
            }
        }
        return chains;
    }

    private static boolean jumpsToOwned(String rule) {
        int at = rule.lastIndexOf(" -j ");
        if (at < 0) {
            at = rule.lastIndexOf(" -g ");
        }
        if (at < 0) {
            return false;
        }
        String target = rule.substring(at + 4).split(" ", 2)[0];
        return ChainNames.owned(target);
    }
}

package io.k4j.proxy;

import io.k4j.proxy.rules.Jump;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The proxy's kernel operations on one iptables back end, through an {@link Iptables} executor (public for the benchmark). */
public final class Netfilter {

    private final Iptables exec;
    private final IptablesMode mode;

    public Netfilter(Iptables exec, IptablesMode mode) {
        this.exec = exec;
        this.mode = mode;
    }

    public IptablesMode mode() {
        return mode;
    }

    /** Applies an iptables-restore input atomically, leaving chains it does not declare untouched. */
    public void restore(String text) throws IOException {
        Iptables.Result r = exec.exec(List.of(mode.restore(), "-w", "5", "--noflush"), text);
        if (!r.ok()) {
            throw new IOException(mode.restore() + " failed (exit " + r.exitCode() + "): " + r.stderr().trim());
        }
    }

    public String save(String table) throws IOException {
        Iptables.Result r = exec.exec(List.of(mode.save(), "-t", table), "");
        if (!r.ok()) {
            throw new IOException(mode.save() + " -t " + table + " failed: " + r.stderr().trim());
        }
        return r.stdout();
    }

    /** Inserts the jump at the top of its built-in chain unless it is there already. */
    void ensure(Jump jump) throws IOException {
        if (!iptables(jump, "-C").ok()) {
            Iptables.Result r = iptables(jump, "-I");
            if (!r.ok()) {
                throw new IOException("cannot add " + jump + ": " + r.stderr().trim());
            }
        }
    }

    private Iptables.Result iptables(Jump jump, String op) throws IOException {
        List<String> argv = new ArrayList<>(List.of(mode.iptables(), "-w", "5", "-t", jump.table(), op, jump.chain()));
        argv.addAll(jump.args());
        return exec.exec(argv, "");
    }

    /** Runs one conntrack -D; "no entry matched" (exit 1 with 0 deleted) is success. */
    void conntrack(List<String> args) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add("conntrack");
        argv.addAll(args);
        Iptables.Result r = exec.exec(argv, "");
        if (!r.ok() && !r.stderr().contains("0 flow entries")) {
            throw new IOException("conntrack " + String.join(" ", args) + " failed: " + r.stderr().trim());
        }
    }

    /** Lets NodePorts answer on 127.0.0.1: DNAT from loopback to a pod needs route_localnet. */
    void enableRouteLocalnet() throws IOException {
        Iptables.Result r = exec.exec(List.of("sysctl", "-q", "-w", "net.ipv4.conf.all.route_localnet=1"), "");
        if (!r.ok()) {
            throw new IOException("cannot set net.ipv4.conf.all.route_localnet=1: " + r.stderr().trim());
        }
    }
}

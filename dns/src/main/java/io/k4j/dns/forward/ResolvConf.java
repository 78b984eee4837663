package io.k4j.dns.forward;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Address;

/**
 * The node's resolvers from resolv.conf. Like k3s, when /etc/resolv.conf names only loopback resolvers (a local stub
 * such as systemd-resolved, unreachable from pods and possibly ourselves) systemd-resolved's real list is used.
 */
public final class ResolvConf {

    private static final Logger log = LoggerFactory.getLogger(ResolvConf.class);
    static final Path ETC_RESOLV_CONF = Path.of("/etc/resolv.conf");
    static final Path SYSTEMD_RESOLV_CONF = Path.of("/run/systemd/resolve/resolv.conf");

    private ResolvConf() {
    }

    public static List<InetSocketAddress> nodeUpstreams() {
        List<InetSocketAddress> upstreams = nameservers(ETC_RESOLV_CONF);
        if (!upstreams.isEmpty() && upstreams.stream().allMatch(address -> address.getAddress().isLoopbackAddress())) {
            List<InetSocketAddress> systemd = nameservers(SYSTEMD_RESOLV_CONF);
            if (!systemd.isEmpty()) {
                return systemd;
            }
        }
        return upstreams;
    }

    public static List<InetSocketAddress> nameservers(Path file) {
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException unreadable) {
            log.debug("cannot read {}: {}", file, unreadable.toString());
            return List.of();
        }
    }

    static List<InetSocketAddress> parse(List<String> lines) {
        List<InetSocketAddress> nameservers = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                String text = words[1].contains("%") ? words[1].substring(0, words[1].indexOf('%')) : words[1];
                byte[] bytes = Address.toByteArray(text, text.contains(":") ? Address.IPv6 : Address.IPv4);
                if (bytes == null) {
                    log.warn("ignoring resolv.conf nameserver {}: not an IP address", words[1]);
                    continue;
                }
                try {
                    nameservers.add(new InetSocketAddress(InetAddress.getByAddress(bytes), 53));
                } catch (IOException impossible) {
                    log.warn("ignoring resolv.conf nameserver {}", words[1]);
                }
            }
        }
        return nameservers;
    }
}

package io.k4j.kubelet.node;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The node's InternalIP when none is given (--node-ip): the IPv4 address of the interface the default route goes
 * through, as upstream's kubelet picks it, else 127.0.0.1 (a machine, or network namespace, without a default
 * route).
 */
public final class NodeAddresses {

    public static final String LOOPBACK = "127.0.0.1";

    private NodeAddresses() {
    }

    public static String pick(String given) {
        return pick(given, HostFiles.system(), NodeAddresses::interfaceAddresses);
    }

    static String pick(String given, HostFiles files, Function<String, List<InetAddress>> addressesOf) {
        if (given != null && !given.isBlank()) {
            return given.trim();
        }
        return defaultRouteInterface(files.read("/proc/net/route").orElse(""))
                .flatMap(name -> addressesOf.apply(name).stream()
                        .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                        .map(InetAddress::getHostAddress).findFirst())
                .orElse(LOOPBACK);
    }

    /** The interface of the first route to 0.0.0.0/0 in /proc/net/route (columns Iface Destination ... Mask). */
    static Optional<String> defaultRouteInterface(String routes) {
        return routes.lines().skip(1)
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields.length > 7 && fields[1].equals("00000000") && fields[7].equals("00000000"))
                .map(fields -> fields[0])
                .findFirst();
    }

    private static List<InetAddress> interfaceAddresses(String name) {
        try {
            NetworkInterface network = NetworkInterface.getByName(name);
            return network == null ? List.of() : Collections.list(network.getInetAddresses());
        } catch (SocketException e) {
            return List.of();
        }
    }
}

package io.k4j.dns.zone;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The cluster zone's answers, as the Kubernetes DNS specification (schema 1.1.0) lays them out: services, their
 * endpoints and named ports under svc, pod addresses under pod, PTR records for known service and endpoint addresses.
 * Pure: a query and the index in, a response out.
 */
public final class ClusterZone {

    static final String SCHEMA_VERSION = "1.1.0";
    private static final Name IN_ADDR_ARPA = Name.fromConstantString("in-addr.arpa.");
    private static final Name IP6_ARPA = Name.fromConstantString("ip6.arpa.");
    private static final int MAX_CNAME_CHAIN = 8;

    /**
     * A response of the zone; when the answer ends in a CNAME pointing out of the zone, {@code chaseTarget} is that
     * name, to be resolved upstream with the same type and appended (as CoreDNS does for ExternalName services).
     */
    public record Result(Message response, Name chaseTarget) {
    }

    /** The records owned by one name; an existing name with no records is an empty non-terminal (NODATA). */
    private record Node(List<Record> records, List<Record> additional, Name cname) {

        static final Node EMPTY = new Node(List.of(), List.of(), null);

        static Node of(List<Record> records) {
            return new Node(records, List.of(), null);
        }
    }

    private final Name zone;
    private final ClusterIndex index;
    private final long ttl;
    private final List<InetAddress> nameserverAddresses;
    private final Name nameserver;
    private final SOARecord soa;

    public ClusterZone(String domain, ClusterIndex index, Duration ttl, List<InetAddress> nameserverAddresses) {
        this.zone = absolute(domain);
        this.index = index;
        this.ttl = ttl.toSeconds();
        this.nameserverAddresses = List.copyOf(nameserverAddresses);
        this.nameserver = child(zone, "ns", "dns");
        this.soa = new SOARecord(zone, DClass.IN, this.ttl, nameserver, child(zone, "hostmaster"), 1, 7200, 1800,
                86400, this.ttl);
    }

    public Name zone() {
        return zone;
    }

    /** The zone's response to a query, or empty when the name is not the zone's to answer (forward it). */
    public Optional<Result> answer(Message query) {
        Record question = query.getQuestion();
        Name qname = question.getName();
        int qtype = question.getType();
        if (qname.subdomain(zone)) {
            return Optional.of(answerInZone(query, qname, qtype, question.getDClass()));
        }
        if (qtype == Type.PTR && (qname.subdomain(IN_ADDR_ARPA) || qname.subdomain(IP6_ARPA))) {
            return reverse(query, qname);
        }
        return Optional.empty();
    }

    private Result answerInZone(Message query, Name qname, int qtype, int qclass) {
        Message response = Responses.replyTo(query);
        response.getHeader().setFlag(Flags.AA);
        if ((qclass != DClass.IN && qclass != DClass.ANY) || qtype == Type.AXFR || qtype == Type.IXFR) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return new Result(response, null);
        }
        Name name = qname;
        for (int hops = 0; hops < MAX_CNAME_CHAIN; hops++) {
            Optional<Node> node = lookup(name, labels(name));
            if (node.isEmpty()) {
                if (response.getSection(Section.ANSWER).isEmpty()) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                response.addRecord(soa, Section.AUTHORITY);
                return new Result(response, null);
            }
            Node found = node.get();
            if (found.cname() != null) {
                response.addRecord(new CNAMERecord(name, DClass.IN, ttl, found.cname()), Section.ANSWER);
                if (qtype == Type.CNAME || qtype == Type.ANY) {
                    return new Result(response, null);
                }
                if (!found.cname().subdomain(zone)) {
                    return new Result(response, found.cname());
                }
                name = found.cname();
                continue;
            }
            List<Record> answers = found.records().stream()
                    .filter(record -> qtype == Type.ANY || record.getType() == qtype).toList();
            answers.forEach(record -> response.addRecord(record, Section.ANSWER));
            if (answers.isEmpty()) {
                response.addRecord(soa, Section.AUTHORITY);
            } else if (answers.stream().anyMatch(record -> record.getType() == Type.SRV)) {
                found.additional().forEach(record -> response.addRecord(record, Section.ADDITIONAL));
            }
            return new Result(response, null);
        }
        response.getHeader().setRcode(Rcode.SERVFAIL);
        return new Result(response, null);
    }

    /** Labels below the zone, nearest to the zone first, lower case. */
    private String[] labels(Name name) {
        int count = name.labels() - zone.labels();
        String[] labels = new String[count];
        for (int i = 0; i < count; i++) {
            labels[i] = name.getLabelString(count - 1 - i).toLowerCase(Locale.ROOT);
        }
        return labels;
    }

    private Optional<Node> lookup(Name name, String[] labels) {
        if (labels.length == 0) {
            List<Record> apex = new ArrayList<>();
            apex.add(soa);
            apex.add(new NSRecord(zone, DClass.IN, ttl, nameserver));
            return Optional.of(Node.of(apex));
        }
        return switch (labels[0]) {
            case "svc" -> serviceNames(name, labels);
            case "pod" -> podNames(name, labels);
            case "dns-version" -> labels.length == 1
                    ? Optional.of(Node.of(List.of(new TXTRecord(name, DClass.IN, ttl, SCHEMA_VERSION))))
                    : Optional.empty();
            case "dns" -> switch (labels.length) {
                case 1 -> Optional.of(Node.EMPTY);
                case 2 -> labels[1].equals("ns") ? Optional.of(Node.of(addressRecords(name, nameserverAddresses)))
                        : Optional.empty();
                default -> Optional.empty();
            };
            default -> Optional.empty();
        };
    }

    private Optional<Node> serviceNames(Name name, String[] labels) {
        if (labels.length == 1) {
            return Optional.of(Node.EMPTY);
        }
        String namespace = labels[1];
        if (labels.length == 2) {
            return index.hasNamespace(namespace) ? Optional.of(Node.EMPTY) : Optional.empty();
        }
        Optional<ServiceEntry> found = index.service(namespace, labels[2]);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ServiceEntry service = found.get();
        return switch (labels.length) {
            case 3 -> Optional.of(serviceNode(name, service));
            case 4 -> labels[3].startsWith("_") ? protocolNode(service, labels[3]) : endpointNode(name, service,
                    labels[3]);
            case 5 -> srvNode(name, service, labels[3], labels[4]);
            default -> Optional.empty();
        };
    }

    private Node serviceNode(Name name, ServiceEntry service) {
        return switch (service.kind()) {
            case CLUSTER_IP -> Node.of(addressRecords(name, service.clusterIps()));
            case HEADLESS -> Node.of(addressRecords(name,
                    index.endpoints(service.key()).stream().map(EndpointAddress::ip).toList()));
            case EXTERNAL_NAME -> externalNameNode(service);
        };
    }

    private Node externalNameNode(ServiceEntry service) {
        try {
            return new Node(List.of(), List.of(), Name.fromString(service.externalName(), Name.root));
        } catch (TextParseException invalid) {
            return Node.EMPTY;
        }
    }

    private Optional<Node> endpointNode(Name name, ServiceEntry service, String label) {
        List<InetAddress> ips = index.endpoints(service.key()).stream()
                .filter(address -> address.label().equals(label)).map(EndpointAddress::ip).toList();
        return ips.isEmpty() ? Optional.empty() : Optional.of(Node.of(addressRecords(name, ips)));
    }

    private Optional<Node> protocolNode(ServiceEntry service, String protocolLabel) {
        String protocol = protocolLabel.substring(1);
        boolean any = srvPorts(service).stream().anyMatch(port -> port.protocol().equals(protocol));
        return any ? Optional.of(Node.EMPTY) : Optional.empty();
    }

    private Optional<Node> srvNode(Name name, ServiceEntry service, String protocolLabel, String portLabel) {
        if (!protocolLabel.startsWith("_") || !portLabel.startsWith("_")) {
            return Optional.empty();
        }
        String protocol = protocolLabel.substring(1);
        String portName = portLabel.substring(1);
        Name serviceName = child(zone, service.name(), service.namespace(), "svc");
        List<Record> srv = new ArrayList<>();
        List<Record> additional = new ArrayList<>();
        if (service.kind() == ServiceEntry.Kind.CLUSTER_IP) {
            for (PortEntry port : service.ports()) {
                if (port.name().equals(portName) && port.protocol().equals(protocol)) {
                    srv.add(new SRVRecord(name, DClass.IN, ttl, 0, 100, port.port(), serviceName));
                }
            }
            if (!srv.isEmpty()) {
                additional.addAll(addressRecords(serviceName, service.clusterIps()));
            }
        } else if (service.kind() == ServiceEntry.Kind.HEADLESS) {
            List<EndpointAddress> endpoints = index.endpoints(service.key());
            int weight = Math.max(1, 100 / Math.max(1, endpoints.size()));
            for (EndpointAddress endpoint : endpoints) {
                for (PortEntry port : endpoint.ports()) {
                    if (port.name().equals(portName) && port.protocol().equals(protocol)) {
                        Name target = child(serviceName, endpoint.label());
                        srv.add(new SRVRecord(name, DClass.IN, ttl, 0, weight, port.port(), target));
                        additional.addAll(addressRecords(target, List.of(endpoint.ip())));
                    }
                }
            }
        }
        return srv.isEmpty() ? Optional.empty() : Optional.of(new Node(srv, additional, null));
    }

    /** SRV-bearing ports: the service's own for a ClusterIP service, its endpoints' for a headless one. */
    private List<PortEntry> srvPorts(ServiceEntry service) {
        return switch (service.kind()) {
            case CLUSTER_IP -> service.ports().stream().filter(PortEntry::named).toList();
            case HEADLESS -> index.endpoints(service.key()).stream().flatMap(endpoint -> endpoint.ports().stream())
                    .filter(PortEntry::named).toList();
            case EXTERNAL_NAME -> List.of();
        };
    }

    /** A-B-C-D.NS.pod.ZONE answers the address its first label spells, in any namespace ("pods insecure"). */
    private Optional<Node> podNames(Name name, String[] labels) {
        return switch (labels.length) {
            case 1, 2 -> Optional.of(Node.EMPTY);
            case 3 -> IpLabels.parse(labels[2]).map(ip -> Node.of(addressRecords(name, List.of(ip))));
            default -> Optional.empty();
        };
    }

    private Optional<Result> reverse(Message query, Name qname) {
        InetAddress ip;
        try {
            ip = ReverseMap.fromName(qname);
        } catch (UnknownHostException | RuntimeException notAnAddress) {
            return Optional.empty();
        }
        List<ClusterIndex.ReverseTarget> targets = index.reverse(ip);
        if (targets.isEmpty()) {
            return Optional.empty();
        }
        Message response = Responses.replyTo(query);
        response.getHeader().setFlag(Flags.AA);
        for (ClusterIndex.ReverseTarget target : targets) {
            Name service = child(zone, target.service().name(), target.service().namespace(), "svc");
            Name ptr = target.label() == null ? service : child(service, target.label());
            response.addRecord(new PTRRecord(qname, DClass.IN, ttl, ptr), Section.ANSWER);
        }
        return Optional.of(new Result(response, null));
    }

    private List<Record> addressRecords(Name name, List<InetAddress> ips) {
        List<Record> records = new ArrayList<>(ips.size());
        for (InetAddress ip : ips) {
            records.add(ip instanceof Inet4Address
                    ? new ARecord(name, DClass.IN, ttl, ip)
                    : new AAAARecord(name, DClass.IN, ttl, ip));
        }
        return records;
    }

    /** The name made of {@code labels} (leftmost first) under {@code parent}. */
    private static Name child(Name parent, String... labels) {
        try {
            return Name.concatenate(Name.fromString(String.join(".", labels)), parent);
        } catch (Exception invalid) {
            throw new IllegalArgumentException("invalid DNS labels " + String.join(".", labels), invalid);
        }
    }

    private static Name absolute(String domain) {
        try {
            return Name.fromString(domain.endsWith(".") ? domain : domain + ".");
        } catch (TextParseException invalid) {
            throw new IllegalArgumentException("invalid cluster domain " + domain, invalid);
        }
    }
}

package io.k4j.apiserver.table;

import static io.k4j.apiserver.table.Fixtures.headers;
import static io.k4j.apiserver.table.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoreTablesTest {

    private static final String META = "\"name\":\"x\",\"creationTimestamp\":\"2025-01-01T11:00:00Z\"";

    @Test
    void clusterIPService() {
        assertThat(headers("", "Service")).containsExactly("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)",
                "AGE", "SELECTOR*");
        assertThat(row("", "Service", """
                {"metadata":{%s},"spec":{"type":"ClusterIP","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],
                 "ports":[{"name":"dns","port":53,"protocol":"UDP"},{"name":"dns-tcp","port":53,"protocol":"TCP"},
                          {"name":"metrics","port":9153}],
                 "selector":{"k8s-app":"kube-dns"}}}""".formatted(META)))
                .containsExactly("x", "ClusterIP", "10.96.0.10", "<none>", "53/UDP,53/TCP,9153/TCP", "60m",
                        "k8s-app=kube-dns");
    }

    @Test
    void nodePortServiceShowsNodePortsAndExternalIPs() {
        assertThat(row("", "Service", """
                {"metadata":{%s},"spec":{"type":"NodePort","clusterIPs":["10.96.1.1","fd00::1"],
                 "externalIPs":["192.0.2.1","192.0.2.2"],
                 "ports":[{"port":80,"targetPort":8080,"nodePort":30080,"protocol":"TCP"},
                          {"port":443,"nodePort":30443,"protocol":"TCP"}]}}""".formatted(META)))
                .containsExactly("x", "NodePort", "10.96.1.1", "192.0.2.1,192.0.2.2", "80:30080/TCP,443:30443/TCP",
                        "60m", "<none>");
    }

    @Test
    void loadBalancerServices() {
        assertThat(row("", "Service", """
                {"metadata":{%s},"spec":{"type":"LoadBalancer","clusterIP":"10.96.2.2",
                 "ports":[{"port":80,"nodePort":31000,"protocol":"TCP"}]}}""".formatted(META)).subList(1, 5))
                .containsExactly("LoadBalancer", "10.96.2.2", "<pending>", "80:31000/TCP");
        assertThat(row("", "Service", """
                {"metadata":{%s},"spec":{"type":"LoadBalancer","clusterIP":"10.96.2.2","externalIPs":["192.0.2.9"],
                 "ports":[{"port":80,"nodePort":31000,"protocol":"TCP"}]},
                 "status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.7"},{"hostname":"lb.example.com"},
                   {"ip":"203.0.113.5"}]}}}""".formatted(META)).get(3))
                .isEqualTo("203.0.113.5,203.0.113.7,lb.example.com,192.0.2.9");
    }

    @Test
    void externalNameAndHeadlessServices() {
        assertThat(row("", "Service", """
                {"metadata":{%s},"spec":{"type":"ExternalName","externalName":"db.example.com"}}""".formatted(META)))
                .containsExactly("x", "ExternalName", "<none>", "db.example.com", "<none>", "60m", "<none>");
        assertThat(row("", "Service", """
                {"metadata":{%s},"spec":{"clusterIP":"None","ports":[{"port":5432}],"selector":{"app":"pg"}}}"""
                .formatted(META)))
                .containsExactly("x", "ClusterIP", "None", "<none>", "5432/TCP", "60m", "app=pg");
    }

    @Test
    void endpoints() {
        assertThat(row("", "Endpoints", """
                {"metadata":{%s},"subsets":[
                  {"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"ports":[{"name":"http","port":80},{"name":"m","port":9000}]},
                  {"addresses":[{"ip":"fd00::3"}],"ports":[{"port":80}]}]}""".formatted(META)))
                .containsExactly("x", "10.0.0.1:80,10.0.0.2:80,10.0.0.1:9000 + 2 more...", "60m");
        assertThat(row("", "Endpoints", """
                {"metadata":{%s},"subsets":[{"addresses":[{"ip":"fd00::3"}],"ports":[{"port":80}]},
                  {"addresses":[{"ip":"10.0.0.9"}]}]}""".formatted(META)).get(1))
                .isEqualTo("[fd00::3]:80,10.0.0.9");
        assertThat(row("", "Endpoints", "{\"metadata\":{" + META + "}}").get(1)).isEqualTo("<none>");
    }

    @Test
    void node() {
        assertThat(headers("", "Node")).containsExactly("NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP*",
                "EXTERNAL-IP*", "OS-IMAGE*", "KERNEL-VERSION*", "CONTAINER-RUNTIME*");
        assertThat(row("", "Node", """
                {"metadata":{"name":"cp-1","creationTimestamp":"2024-11-01T12:00:00Z",
                   "labels":{"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/etcd":"",
                             "kubernetes.io/role":"master","kubernetes.io/os":"linux"}},
                 "spec":{"unschedulable":true},
                 "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
                   "addresses":[{"type":"Hostname","address":"cp-1"},{"type":"InternalIP","address":"192.168.1.10"}],
                   "nodeInfo":{"kubeletVersion":"v1.32.0","osImage":"Debian GNU/Linux 12 (bookworm)",
                     "kernelVersion":"6.1.0-18-amd64","containerRuntimeVersion":"containerd://1.7.24"}}}"""))
                .containsExactly("cp-1", "Ready,SchedulingDisabled", "control-plane,etcd,master", "61d", "v1.32.0",
                        "192.168.1.10", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64",
                        "containerd://1.7.24");
        assertThat(row("", "Node", "{\"metadata\":{\"name\":\"new\"}}"))
                .containsExactly("new", "Unknown", "<none>", "<unknown>", "", "<none>", "<none>", "<unknown>",
                        "<unknown>", "<unknown>");
        assertThat(row("", "Node", """
                {"metadata":{"name":"w"},"status":{"conditions":[{"type":"Ready","status":"Unknown"}]}}""").get(1))
                .isEqualTo("NotReady");
    }

    @Test
    void namespacesConfigMapsSecretsServiceAccounts() {
        assertThat(row("", "Namespace", "{\"metadata\":{" + META + "},\"status\":{\"phase\":\"Active\"}}"))
                .containsExactly("x", "Active", "60m");
        assertThat(row("", "ConfigMap", """
                {"metadata":{%s},"data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}}""".formatted(META)))
                .containsExactly("x", 3L, "60m");
        assertThat(headers("", "Secret")).containsExactly("NAME", "TYPE", "DATA", "AGE");
        assertThat(row("", "Secret", """
                {"metadata":{%s},"type":"kubernetes.io/tls","data":{"tls.crt":"","tls.key":""}}""".formatted(META)))
                .containsExactly("x", "kubernetes.io/tls", 2L, "60m");
        assertThat(row("", "Secret", "{\"metadata\":{" + META + "}}")).containsExactly("x", "Opaque", 0L, "60m");
        assertThat(row("", "ServiceAccount", """
                {"metadata":{%s},"secrets":[{"name":"token"}]}""".formatted(META)))
                .containsExactly("x", 1L, "60m");
    }

    @Test
    void resourceQuotaSplitsRequestsAndLimits() {
        assertThat(headers("", "ResourceQuota")).containsExactly("NAME", "REQUEST", "LIMIT", "AGE");
        assertThat(row("", "ResourceQuota", """
                {"metadata":{%s},"spec":{"hard":{"pods":"10"}},
                 "status":{"hard":{"requests.cpu":"2","pods":"10","limits.memory":"4Gi","limits.cpu":"4"},
                   "used":{"requests.cpu":"500m","pods":"3","limits.cpu":"1"}}}""".formatted(META)))
                .containsExactly("x", "pods: 3/10, requests.cpu: 500m/2", "limits.cpu: 1/4, limits.memory: 0/4Gi",
                        "60m");
    }

    @Test
    void persistentVolumes() {
        assertThat(headers("", "PersistentVolume")).containsExactly("NAME", "CAPACITY", "ACCESS MODES",
                "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE",
                "VOLUMEMODE*");
        assertThat(row("", "PersistentVolume", """
                {"metadata":{%s},"spec":{"capacity":{"storage":"10Gi"},
                   "accessModes":["ReadWriteMany","ReadWriteOnce","ReadWriteOnce"],
                   "persistentVolumeReclaimPolicy":"Retain","storageClassName":"fast","volumeMode":"Filesystem",
                   "claimRef":{"namespace":"db","name":"data-pg-0"}},
                 "status":{"phase":"Bound"}}""".formatted(META)))
                .containsExactly("x", "10Gi", "RWO,RWX", "Retain", "Bound", "db/data-pg-0", "fast", "<unset>", "",
                        "60m", "Filesystem");
    }

    @Test
    void persistentVolumeClaims() {
        assertThat(headers("", "PersistentVolumeClaim")).containsExactly("NAME", "STATUS", "VOLUME", "CAPACITY",
                "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE", "VOLUMEMODE*");
        assertThat(row("", "PersistentVolumeClaim", """
                {"metadata":{%s},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},
                   "volumeName":"pv-1","storageClassName":"standard","volumeMode":"Filesystem"},
                 "status":{"phase":"Bound","accessModes":["ReadWriteOnce"],"capacity":{"storage":"2Gi"}}}"""
                .formatted(META)))
                .containsExactly("x", "Bound", "pv-1", "2Gi", "RWO", "standard", "<unset>", "60m", "Filesystem");
        assertThat(row("", "PersistentVolumeClaim", """
                {"metadata":{%s,"deletionTimestamp":"2025-01-01T11:30:00Z",
                   "annotations":{"volume.beta.kubernetes.io/storage-class":"legacy"}},
                 "spec":{"resources":{"requests":{"storage":"1Gi"}},"storageClassName":"standard"},
                 "status":{"phase":"Pending"}}""".formatted(META)))
                .containsExactly("x", "Terminating", "", "", "", "legacy", "<unset>", "60m", "<unset>");
    }

    @Test
    void coreEvents() {
        assertThat(headers("", "Event")).containsExactly("LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT*",
                "SOURCE*", "MESSAGE", "FIRST SEEN*", "COUNT*", "NAME*");
        assertThat(row("", "Event", """
                {"metadata":{"name":"web.181a","namespace":"default"},
                 "involvedObject":{"kind":"Pod","name":"web","fieldPath":"spec.containers{app}"},
                 "reason":"BackOff","message":"Back-off restarting failed container\\n","type":"Warning",
                 "source":{"component":"kubelet","host":"node-1"},
                 "firstTimestamp":"2025-01-01T11:00:00Z","lastTimestamp":"2025-01-01T11:58:00Z","count":12}"""))
                .containsExactly("2m", "Warning", "BackOff", "pod/web", "spec.containers{app}", "kubelet, node-1",
                        "Back-off restarting failed container", "60m", 12L, "web.181a");
    }

    @Test
    void eventsWithOnlyAnEventTimeOrASeries() {
        assertThat(row("", "Event", """
                {"metadata":{"name":"e"},"involvedObject":{"kind":"Node"},"reason":"Starting","type":"Normal",
                 "eventTime":"2025-01-01T11:59:00.123456Z","reportingComponent":"kube-proxy",
                 "reportingInstance":"kube-proxy-node-1","message":"started"}"""))
                .containsExactly("59s", "Normal", "Starting", "node", "", "kube-proxy, kube-proxy-node-1", "started",
                        "59s", 1L, "e");
        assertThat(row("events.k8s.io", "Event", """
                {"metadata":{"name":"e2"},"regarding":{"kind":"Deployment","name":"web"},"reason":"ScalingReplicaSet",
                 "type":"Normal","note":"Scaled up","eventTime":"2025-01-01T10:00:00.000000Z",
                 "reportingController":"deployment-controller",
                 "series":{"count":5,"lastObservedTime":"2025-01-01T11:59:30.000000Z"}}"""))
                .containsExactly("30s", "Normal", "ScalingReplicaSet", "deployment/web", "", "deployment-controller",
                        "Scaled up", "120m", 5L, "e2");
        assertThat(row("events.k8s.io", "Event", """
                {"metadata":{"name":"e3"},"regarding":{"kind":"Pod","name":"p"},"reason":"Pulled","type":"Normal",
                 "note":"ok","deprecatedFirstTimestamp":"2025-01-01T11:00:00Z",
                 "deprecatedLastTimestamp":"2025-01-01T11:30:00Z","deprecatedCount":2,
                 "deprecatedSource":{"component":"kubelet"}}"""))
                .containsExactly("30m", "Normal", "Pulled", "pod/p", "", "kubelet", "ok", "60m", 2L, "e3");
    }
}

package io.k4j.apiserver.selection;

import static io.k4j.apiserver.selection.LabelSelectorTest.assertBadRequest;
import static io.k4j.apiserver.selection.LabelSelectorTest.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class FieldSelectorTest {

    private static final FieldLabels PODS = FieldLabels.forKind("", "Pod");
    private static final FieldLabels EVENTS = FieldLabels.forKind("", "Event");

    private static final ObjectNode RUNNING = obj("{'metadata':{'name':'p1','namespace':'ns1'},"
            + "'spec':{'nodeName':'n1','restartPolicy':'Always','schedulerName':'default-scheduler',"
            + "'serviceAccountName':'default'},'status':{'phase':'Running','podIP':'10.0.0.1',"
            + "'nominatedNodeName':'n2'}}");
    private static final ObjectNode PENDING = obj("{'metadata':{'name':'p2','namespace':'ns1'},'spec':{},"
            + "'status':{'phase':'Pending'}}");
    private static final ObjectNode FAILED = obj("{'metadata':{'name':'p3','namespace':'ns2'},"
            + "'spec':{'nodeName':'n1','hostNetwork':true},'status':{'phase':'Failed','podIPs':[{'ip':'10.0.0.3'}]}}");
    private static final ObjectNode SUCCEEDED = obj("{'metadata':{'name':'p4','namespace':'ns2'},"
            + "'spec':{'nodeName':'n2'},'status':{'phase':'Succeeded'}}");
    private static final List<ObjectNode> ALL_PODS = List.of(RUNNING, PENDING, FAILED, SUCCEEDED);

    private static List<String> podNames(String selector) {
        FieldSelector fields = FieldSelector.parse(selector, PODS);
        return ALL_PODS.stream().filter(fields::matches).map(p -> p.get("metadata").get("name").asString()).toList();
    }

    @Test
    void podPhaseNotTerminal() {
        assertThat(podNames("status.phase!=Succeeded,status.phase!=Failed")).containsExactly("p1", "p2");
        assertThat(podNames("status.phase=Running")).containsExactly("p1");
        assertThat(podNames("status.phase==Pending")).containsExactly("p2");
    }

    @Test
    void unscheduledPodsHaveAnEmptyNodeName() {
        assertThat(podNames("spec.nodeName=")).containsExactly("p2");
        assertThat(podNames("spec.nodeName!=")).containsExactly("p1", "p3", "p4");
        assertThat(podNames("spec.nodeName=n1")).containsExactly("p1", "p3");
        assertThat(podNames("spec.nodeName=n1,metadata.namespace=ns2")).containsExactly("p3");
    }

    @Test
    void podFields() {
        assertThat(podNames("metadata.name=p1")).containsExactly("p1");
        assertThat(podNames("metadata.name!=p1")).containsExactly("p2", "p3", "p4");
        assertThat(podNames("metadata.namespace=ns1")).containsExactly("p1", "p2");
        assertThat(podNames("spec.restartPolicy=Always")).containsExactly("p1");
        assertThat(podNames("spec.schedulerName=default-scheduler")).containsExactly("p1");
        assertThat(podNames("spec.serviceAccountName=default")).containsExactly("p1");
        assertThat(podNames("spec.hostNetwork=false")).containsExactly("p1", "p2", "p4");
        assertThat(podNames("spec.hostNetwork=true")).containsExactly("p3");
        assertThat(podNames("status.podIP=10.0.0.1")).containsExactly("p1");
        assertThat(podNames("status.podIP=10.0.0.3")).containsExactly("p3");
        assertThat(podNames("status.nominatedNodeName=n2")).containsExactly("p1");
        // accepted upstream but never set: always ""
        assertThat(podNames("status.podIPs=10.0.0.1")).isEmpty();
        assertThat(podNames("status.podIPs=")).hasSize(4);
    }

    @Test
    void legacySpecHostIsNodeName() {
        FieldSelector selector = FieldSelector.parse("spec.host=n2", PODS);
        assertThat(selector.toString()).isEqualTo("spec.nodeName=n2");
        assertThat(selector.requiredValue("spec.nodeName")).contains("n2");
        assertThat(podNames("spec.host=n2")).containsExactly("p4");
    }

    @Test
    void requiredValue() {
        FieldSelector selector = FieldSelector.parse("metadata.namespace!=x,metadata.name=foo", PODS);
        assertThat(selector.requiredValue("metadata.name")).contains("foo");
        assertThat(selector.requiredValue("metadata.namespace")).isEmpty();
        assertThat(selector.requiredValue("spec.nodeName")).isEmpty();
        assertThat(FieldSelector.parse("metadata.name==foo", PODS).requiredValue("metadata.name")).contains("foo");
        assertThat(FieldSelector.parse("", PODS).requiredValue("metadata.name")).isEmpty();
    }

    @Test
    void rendersSortedAndEscaped() {
        assertThat(FieldSelector.parse("status.phase!=Failed,metadata.name==a", PODS).toString())
                .isEqualTo("metadata.name=a,status.phase!=Failed");
        assertThat(FieldSelector.parse("metadata.name=a\\,b\\=c\\\\d", PODS).toString())
                .isEqualTo("metadata.name=a\\,b\\=c\\\\d");
        assertThat(FieldSelector.parse("metadata.name=a\\,b", PODS).terms())
                .containsExactly(new FieldSelector.Term("metadata.name", true, "a,b"));
        assertThat(FieldSelector.parse("metadata.name=a\\,b", PODS)
                .matches(obj("{'metadata':{'name':'a,b'}}"))).isTrue();
    }

    @Test
    void emptySelectors() {
        assertThat(FieldSelector.parse("", PODS).isEmpty()).isTrue();
        assertThat(FieldSelector.parse(null, PODS).isEmpty()).isTrue();
        assertThat(FieldSelector.parse(",", PODS).isEmpty()).isTrue();
        assertThat(FieldSelector.parse("", PODS).matches(RUNNING)).isTrue();
        assertThat(FieldSelector.parse("", PODS).toString()).isEmpty();
    }

    @Test
    void syntaxErrors() {
        assertBadRequest(() -> FieldSelector.parse("foo", PODS), "invalid selector: 'foo'; can't understand 'foo'");
        assertBadRequest(() -> FieldSelector.parse("metadata.name=a,c", PODS),
                "invalid selector: 'metadata.name=a,c'; can't understand 'c'");
        assertBadRequest(() -> FieldSelector.parse("metadata.name=a=b", PODS),
                "invalid field selector: unescaped character in value: 61");
        assertBadRequest(() -> FieldSelector.parse("metadata.name=a\\x", PODS),
                "invalid field selector: invalid escape sequence: \\x");
        assertBadRequest(() -> FieldSelector.parse("metadata.name=a\\", PODS),
                "invalid field selector: invalid escape sequence: \\");
    }

    @Test
    void unsupportedFields() {
        assertBadRequest(() -> FieldSelector.parse("spec.foo=bar", PODS), "field label not supported: spec.foo");
        // checked in sorted order, as upstream
        assertBadRequest(() -> FieldSelector.parse("spec.zzz=1,spec.aaa=2", PODS),
                "field label not supported: spec.aaa");
        // no trimming: the space is part of the field
        assertBadRequest(() -> FieldSelector.parse("metadata.name = p1", PODS),
                "field label not supported: metadata.name ");
        assertBadRequest(() -> FieldSelector.parse("data.x=1", FieldLabels.forKind("", "ConfigMap")),
                "\"data.x\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
        assertBadRequest(() -> FieldSelector.parse("status.replicas=1", FieldLabels.forKind("apps", "ReplicaSet")),
                "\"status.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
        assertBadRequest(() -> FieldSelector.parse("spec.foo=1", FieldLabels.forKind("batch", "Job")),
                "field label \"spec.foo\" not supported for Job");
        assertBadRequest(() -> FieldSelector.parse("metadata.namespace=", FieldLabels.forKind("", "Node")),
                "field label not supported: metadata.namespace");
        assertBadRequest(() -> FieldSelector.parse("involvedObject.name=p1",
                FieldLabels.forKind("events.k8s.io", "Event")), "field label not supported: involvedObject.name");
    }

    @Test
    void coreEvents() {
        ObjectNode scheduled = obj("{'metadata':{'name':'e1','namespace':'ns1'},'involvedObject':{'kind':'Pod',"
                + "'namespace':'ns1','name':'p1','uid':'u1','apiVersion':'v1','resourceVersion':'7',"
                + "'fieldPath':'spec.containers{c}'},'reason':'Scheduled','type':'Normal',"
                + "'source':{'component':'default-scheduler'},'reportingComponent':'default-scheduler'}");
        ObjectNode pulled = obj("{'metadata':{'name':'e2','namespace':'ns1'},'involvedObject':{'kind':'Pod',"
                + "'name':'p2'},'reason':'Pulled','type':'Warning','reportingComponent':'kubelet'}");
        FieldSelector selector = FieldSelector.parse("involvedObject.kind=Pod,involvedObject.name=p1,"
                + "involvedObject.namespace=ns1,involvedObject.uid=u1,involvedObject.apiVersion=v1,"
                + "involvedObject.resourceVersion=7,involvedObject.fieldPath=spec.containers{c},reason=Scheduled,"
                + "type=Normal,source=default-scheduler,reportingComponent=default-scheduler,"
                + "metadata.name=e1,metadata.namespace=ns1", EVENTS);
        assertThat(selector.matches(scheduled)).isTrue();
        assertThat(selector.matches(pulled)).isFalse();
        // source falls back to the reporting component
        assertThat(FieldSelector.parse("source=kubelet", EVENTS).matches(pulled)).isTrue();
        assertThat(FieldSelector.parse("type!=Normal", EVENTS).matches(pulled)).isTrue();
        assertThat(FieldSelector.parse("involvedObject.namespace=", EVENTS).matches(pulled)).isTrue();
        assertBadRequest(() -> FieldSelector.parse("message=x", EVENTS), "field label not supported: message");
    }

    @Test
    void eventsApiEvents() {
        FieldLabels labels = FieldLabels.forKind("events.k8s.io", "Event");
        ObjectNode event = obj("{'metadata':{'name':'e1','namespace':'ns1'},'regarding':{'kind':'Pod','name':'p1'},"
                + "'reason':'Started','type':'Normal','reportingController':'kubelet'}");
        FieldSelector selector = FieldSelector.parse("regarding.kind=Pod,regarding.name=p1,reportingController=kubelet,"
                + "source=kubelet,reason=Started,type=Normal", labels);
        assertThat(selector.matches(event)).isTrue();
        assertThat(selector.requiredValue("involvedObject.name")).contains("p1");
        assertThat(FieldSelector.parse("regarding.name=p2", labels).matches(event)).isFalse();
    }

    @Test
    void otherKinds() {
        assertThat(FieldSelector.parse("type=kubernetes.io/tls", FieldLabels.forKind("", "Secret"))
                .matches(obj("{'metadata':{'name':'s'},'type':'kubernetes.io/tls'}"))).isTrue();
        assertThat(FieldSelector.parse("status.phase=Active", FieldLabels.forKind("", "Namespace"))
                .matches(obj("{'metadata':{'name':'ns'},'status':{'phase':'Active'}}"))).isTrue();
        FieldLabels nodes = FieldLabels.forKind("", "Node");
        assertThat(FieldSelector.parse("spec.unschedulable=false", nodes).matches(obj("{'metadata':{'name':'n'}}")))
                .isTrue();
        assertThat(FieldSelector.parse("spec.unschedulable=true", nodes)
                .matches(obj("{'metadata':{'name':'n'},'spec':{'unschedulable':true}}"))).isTrue();
        FieldLabels controllers = FieldLabels.forKind("", "ReplicationController");
        assertThat(FieldSelector.parse("status.replicas=0", controllers).matches(obj("{'metadata':{}}"))).isTrue();
        assertThat(FieldSelector.parse("status.replicas=3", controllers)
                .matches(obj("{'status':{'replicas':3}}"))).isTrue();
        FieldLabels jobs = FieldLabels.forKind("batch", "Job");
        assertThat(FieldSelector.parse("status.successful=0", jobs).matches(obj("{'metadata':{}}"))).isTrue();
        assertThat(FieldSelector.parse("status.successful=2", jobs).matches(obj("{'status':{'succeeded':2}}")))
                .isTrue();
        assertThat(FieldSelector.parse("spec.type=ClusterIP", FieldLabels.forKind("", "Service"))
                .matches(obj("{'spec':{'type':'ClusterIP','clusterIP':'10.96.0.1'}}"))).isTrue();
        assertThat(FieldSelector.parse("spec.signerName=kubernetes.io/kubelet-serving",
                FieldLabels.forKind("certificates.k8s.io", "CertificateSigningRequest"))
                .matches(obj("{'spec':{'signerName':'kubernetes.io/kubelet-serving'}}"))).isTrue();
        // kinds without their own field labels: name and namespace only
        FieldLabels configMaps = FieldLabels.forKind("", "ConfigMap");
        assertThat(configMaps.supported()).containsExactlyInAnyOrder("metadata.name", "metadata.namespace");
        assertThat(FieldSelector.parse("metadata.name=c,metadata.namespace=d", configMaps)
                .matches(obj("{'metadata':{'name':'c','namespace':'d'}}"))).isTrue();
        // cluster-scoped objects have no namespace: "" matches
        assertThat(FieldSelector.parse("metadata.namespace=", FieldLabels.forKind("rbac.authorization.k8s.io",
                "ClusterRole")).matches(obj("{'metadata':{'name':'admin'}}"))).isTrue();
    }

    @Test
    void customResources() {
        FieldLabels labels = FieldLabels.forCustomResource(true, List.of(".spec.color", ".spec.size"));
        ObjectNode red = obj("{'metadata':{'name':'r','namespace':'d'},'spec':{'color':'red','size':3,'on':true}}");
        assertThat(FieldSelector.parse("spec.color=red,spec.size=3,metadata.namespace=d", labels).matches(red))
                .isTrue();
        assertBadRequest(() -> FieldSelector.parse("spec.on=true", labels), "field label not supported: spec.on");
        assertBadRequest(() -> FieldSelector.parse("metadata.namespace=d",
                FieldLabels.forCustomResource(false, List.of())), "field label not supported: metadata.namespace");
    }
}

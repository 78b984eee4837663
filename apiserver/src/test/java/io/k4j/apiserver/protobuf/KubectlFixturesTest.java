package io.k4j.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes request bodies captured from the real kubectl 1.32 (see {@link KubectlCapture}) and compares them with the
 * JSON the same command prints with {@code -o json --dry-run=client}, or, for commands without a dry run, with the
 * object the command builds.
 */
class KubectlFixturesTest {

    static byte[] fixture(String file) {
        try (InputStream in = KubectlFixturesTest.class.getResourceAsStream("/protobuf/" + file)) {
            assertThat(in).as(file).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode json(String text) {
        return Json.parseObject(text.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static ObjectNode decode(String name) {
        ObjectNode decoded = KubernetesProtobuf.decode(fixture(name + ".bin"));
        assertThat(decoded.propertyNames().stream().limit(2)).containsExactly("apiVersion", "kind");
        return decoded;
    }

    @ParameterizedTest
    @ValueSource(strings = {"namespace", "configmap", "secret-generic", "secret-docker", "serviceaccount", "deployment",
        "job", "cronjob", "job-from-cronjob", "service", "quota", "pdb", "pdb-percent", "role", "rolebinding",
        "clusterrole", "clusterrolebinding", "ingress", "priorityclass", "autoscale"})
    void matchesKubectlDryRunJson(String name) {
        ObjectNode expected = Json.parseObject(fixture(name + ".json"));
        assertThat(decode(name)).isEqualTo(expected);
    }

    @Test
    void createToken() {
        // kubectl create token sa -n ns1 --audience=a1 --audience=a2 --duration=10m --bound-object-kind=Pod
        //     --bound-object-name=p1 --bound-object-uid=1234
        assertThat(decode("token")).isEqualTo(json("{'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest',"
                + "'metadata':{'creationTimestamp':null},'spec':{'audiences':['a1','a2'],'expirationSeconds':600,"
                + "'boundObjectRef':{'kind':'Pod','apiVersion':'v1','name':'p1','uid':'1234'}},"
                + "'status':{'token':'','expirationTimestamp':null}}"));
    }

    @Test
    void authCanI() {
        // kubectl auth can-i create deployments.apps -n ns1 --subresource=scale
        assertThat(decode("can-i")).isEqualTo(json("{'apiVersion':'authorization.k8s.io/v1',"
                + "'kind':'SelfSubjectAccessReview','metadata':{'creationTimestamp':null},'spec':{'resourceAttributes':"
                + "{'namespace':'ns1','verb':'create','group':'apps','resource':'deployments','subresource':'scale'}},"
                + "'status':{'allowed':false}}"));
        // kubectl auth can-i get pods/p1 (the kubeconfig has no namespace: default)
        assertThat(decode("can-i-named").get("spec")).isEqualTo(json("{'resourceAttributes':{'namespace':'default',"
                + "'verb':'get','resource':'pods','name':'p1'}}"));
        // kubectl auth can-i get /logs
        assertThat(decode("can-i-nonresource").get("spec"))
                .isEqualTo(json("{'nonResourceAttributes':{'path':'/logs','verb':'get'}}"));
    }

    @Test
    void authCanIList() {
        // kubectl auth can-i --list -n ns1
        assertThat(decode("can-i-list")).isEqualTo(json("{'apiVersion':'authorization.k8s.io/v1',"
                + "'kind':'SelfSubjectRulesReview','metadata':{'creationTimestamp':null},'spec':{'namespace':'ns1'},"
                + "'status':{'incomplete':false}}"));
    }

    @Test
    void authWhoami() {
        assertThat(decode("whoami")).isEqualTo(json("{'apiVersion':'authentication.k8s.io/v1',"
                + "'kind':'SelfSubjectReview','metadata':{'creationTimestamp':null},'status':{'userInfo':{}}}"));
    }

    @Test
    void drainDeleteOptions() {
        // kubectl drain n1 --force --disable-eviction --grace-period=5: DELETE of each pod with this body
        assertThat(decode("drain-delete"))
                .isEqualTo(json("{'apiVersion':'v1','kind':'DeleteOptions','gracePeriodSeconds':5}"));
    }

    @Test
    void debugNodePod() {
        // kubectl debug node/n1 --image=busybox --profile=general (the pod name has a random suffix)
        assertThat(decode("debug-node")).isEqualTo(json("{'apiVersion':'v1','kind':'Pod','metadata':{"
                + "'name':'node-debugger-n1-pkkvb','creationTimestamp':null},'spec':{'volumes':[{'name':'host-root',"
                + "'hostPath':{'path':'/'}}],'containers':[{'name':'debugger','image':'busybox','resources':{},"
                + "'volumeMounts':[{'name':'host-root','mountPath':'/host'}],'terminationMessagePolicy':'File'}],"
                + "'restartPolicy':'Never','nodeName':'n1','hostNetwork':true,'hostPID':true,'hostIPC':true,"
                + "'tolerations':[{'operator':'Exists'}]},'status':{}}"));
    }

    @Test
    void certificateApprove() {
        // kubectl certificate approve csr1: PUT .../approval with the object the fake server returned plus a condition
        // stamped with the capturing machine's clock.
        assertThat(decode("certificate-approve")).isEqualTo(json("{'apiVersion':'certificates.k8s.io/v1',"
                + "'kind':'CertificateSigningRequest','metadata':{'name':'csr1','resourceVersion':'1',"
                + "'creationTimestamp':'2024-05-01T10:00:00Z'},'spec':{'request':'LS0tLS1CRUdJTg==',"
                + "'signerName':'kubernetes.io/kube-apiserver-client','expirationSeconds':3600,"
                + "'usages':['client auth'],'username':'alice','groups':['system:authenticated'],"
                + "'extra':{'scopes':['a','b']}},'status':{'conditions':[{'type':'Approved','status':'True',"
                + "'reason':'KubectlApprove','message':'This CSR was approved by kubectl certificate approve.',"
                + "'lastUpdateTime':'2026-11-26T15:20:55Z','lastTransitionTime':null}]}}"));
    }
}

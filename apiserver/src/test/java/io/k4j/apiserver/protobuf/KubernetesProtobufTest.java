package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.KubectlFixturesTest.json;
import static io.k4j.apiserver.protobuf.ProtoWriter.body;
import static io.k4j.apiserver.protobuf.ProtoWriter.proto;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k4j.apiserver.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Hand-built messages for what the kubectl fixtures do not exercise, and the error cases. */
class KubernetesProtobufTest {

    private static ObjectNode decode(Schema schema, ProtoWriter message) {
        return schema.decode(new ProtoReader(message.toByteArray()));
    }

    private static ProtoWriter meta(String name) {
        return proto().string(1, name).string(2, "").int64Zero(7);
    }

    @Test
    void pointerZerosAreKeptAndOtherZerosDropped() {
        ProtoWriter spec = proto()
                .varint(1, 0) // replicas: *int32, explicit zero
                .varint(5, 0) // minReadySeconds: int32 omitempty
                .varint(7, 0) // paused: bool omitempty
                .message(4, proto().string(1, "")); // strategy: a struct, always present
        ObjectNode deployment = KubernetesProtobuf.decode(body("apps/v1", "Deployment",
                proto().message(1, meta("web")).message(2, spec)));
        assertThat(deployment).isEqualTo(json("{'apiVersion':'apps/v1','kind':'Deployment',"
                + "'metadata':{'name':'web'},'spec':{'replicas':0,'strategy':{}}}"));
    }

    @Test
    void intOrStringQuantitiesAndMaps() {
        ProtoWriter strategy = proto().string(1, "RollingUpdate").message(2, proto()
                .message(1, proto().varint(1, 1).varint(2, 0).string(3, "25%"))
                .message(2, proto().varint(1, 0).varint(2, 3).string(3, "")));
        assertThat(decode(AppsV1.DEPLOYMENT_STRATEGY, strategy)).isEqualTo(json("{'type':'RollingUpdate',"
                + "'rollingUpdate':{'maxUnavailable':'25%','maxSurge':3}}"));

        ProtoWriter resources = proto()
                .message(1, proto().string(1, "cpu").message(2, proto().string(1, "500m")))
                .message(2, proto().string(1, "memory").message(2, proto().string(1, "1Gi")))
                .message(2, proto().string(1, "empty").message(2, proto()));
        assertThat(decode(CoreV1.RESOURCE_REQUIREMENTS, resources)).isEqualTo(json("{'limits':{'cpu':'500m'},"
                + "'requests':{'memory':'1Gi','empty':'0'}}"));
    }

    @Test
    void configMapAndSecretBytes() {
        byte[] binary = {0, (byte) 0xFF, 'a'};
        ProtoWriter configMap = proto().message(1, meta("cm")).varint(4, 1).entry(2, "a", "").entry(2, "b", "x")
                .message(3, proto().string(1, "bin").bytes(2, binary))
                .message(2, proto().string(1, "novalue"));
        assertThat(KubernetesProtobuf.decode(body("v1", "ConfigMap", configMap))).isEqualTo(json("{'apiVersion':'v1',"
                + "'kind':'ConfigMap','metadata':{'name':'cm'},'immutable':true,"
                + "'data':{'a':'','b':'x','novalue':''},'binaryData':{'bin':'AP9h'}}"));

        ProtoWriter secret = proto().message(1, meta("s")).varint(5, 0).string(3, "Opaque")
                .message(2, proto().string(1, "k").bytes(2, "v".getBytes(StandardCharsets.UTF_8)))
                .entry(4, "plain", "text");
        assertThat(KubernetesProtobuf.decode(body("v1", "Secret", secret))).isEqualTo(json("{'apiVersion':'v1',"
                + "'kind':'Secret','metadata':{'name':'s'},'immutable':false,'type':'Opaque','data':{'k':'dg=='},"
                + "'stringData':{'plain':'text'}}"));
    }

    @Test
    void objectMetaInFull() {
        ProtoWriter metadata = proto().string(1, "n").string(2, "gen-").string(3, "ns").string(5, "uid-1")
                .string(6, "42").varint(7, 3).message(8, proto().varint(1, 1714557600L).varint(2, 999))
                .entry(11, "app", "web").entry(12, "note", "")
                .message(13, proto().string(1, "ReplicaSet").string(3, "rs").string(4, "u2").string(5, "apps/v1")
                        .varint(6, 1).varint(7, 0))
                .string(14, "example.com/cleanup").string(14, "other");
        assertThat(decode(MetaV1.OBJECT_META, metadata)).isEqualTo(json("{'name':'n','generateName':'gen-',"
                + "'namespace':'ns','uid':'uid-1','resourceVersion':'42','generation':3,"
                + "'creationTimestamp':'2024-05-01T10:00:00Z','labels':{'app':'web'},'annotations':{'note':''},"
                + "'ownerReferences':[{'kind':'ReplicaSet','name':'rs','uid':'u2','apiVersion':'apps/v1',"
                + "'controller':true,'blockOwnerDeletion':false}],"
                + "'finalizers':['example.com/cleanup','other']}"));
    }

    @Test
    void timesAndMicroTimes() {
        Schema schema = Schema.message().time(1, "zero").time(2, "epoch").time(3, "t").microTime(4, "micro")
                .microTime(5, "nullMicro");
        ProtoWriter message = proto().message(1, proto()).message(2, proto().varint(1, 0).varint(2, 0))
                .message(3, proto().varint(1, 1714557600L).varint(2, 123_456_789))
                .message(4, proto().varint(1, 1714557600L).varint(2, 123_456_789)).message(5, proto());
        assertThat(decode(schema, message)).isEqualTo(json("{'zero':null,'epoch':'1970-01-01T00:00:00Z',"
                + "'t':'2024-05-01T10:00:00Z','micro':'2024-05-01T10:00:00.123456Z','nullMicro':null}"));
    }

    @Test
    void repeatedNumbersPackedOrNot() {
        ProtoWriter context = proto().varint(4, 5).message(4, proto().raw(6, 7)).varint(2, -1);
        assertThat(decode(CoreV1.POD_SECURITY_CONTEXT, context))
                .isEqualTo(json("{'supplementalGroups':[5,6,7],'runAsUser':-1}"));
        ProtoWriter negative = proto().varint(3, -2); // int32 negatives take ten bytes on the wire
        assertThat(decode(CoreV1.CONTAINER_PORT, negative)).isEqualTo(json("{'containerPort':-2}"));
        ProtoWriter big = proto().varint(1, 1L << 40);
        assertThat(decode(MetaV1.DELETE_OPTIONS, big).get("gracePeriodSeconds").asLong()).isEqualTo(1L << 40);
    }

    @Test
    void unknownFieldsOfEveryWireTypeAreSkipped() {
        ProtoWriter message = proto().fixed32(90, 7).string(1, "ns").fixed64(91, 8).varint(92, 9)
                .message(93, proto().string(1, "nested")).string(2, "verb");
        assertThat(decode(AuthorizationV1.RESOURCE_ATTRIBUTES, message))
                .isEqualTo(json("{'namespace':'ns','verb':'verb'}"));
    }

    @Test
    void repeatedMessageFieldsMerge() {
        ProtoWriter spec = proto().message(1, proto().string(1, "ns1")).message(1, proto().string(2, "get"));
        assertThat(decode(AuthorizationV1.SELF_SUBJECT_ACCESS_REVIEW, proto().message(2, spec)))
                .isEqualTo(json("{'spec':{'resourceAttributes':{'namespace':'ns1','verb':'get'}}}"));
    }

    @Test
    void inlineStructsLandInTheirParent() {
        ProtoWriter probe = proto().message(1, proto().message(2, proto().string(1, "/healthz")
                .message(2, proto().varint(1, 1).string(3, "http")))).varint(4, 10);
        assertThat(decode(CoreV1.PROBE, probe))
                .isEqualTo(json("{'httpGet':{'path':'/healthz','port':'http'},'periodSeconds':10}"));
        ProtoWriter volume = proto().string(1, "cfg").message(2, proto().message(19, proto()
                .message(1, proto().string(1, "cm")).varint(3, 420)));
        assertThat(decode(CoreV1.VOLUME, volume))
                .isEqualTo(json("{'name':'cfg','configMap':{'name':'cm','defaultMode':420}}"));
    }

    @Test
    void deleteOptionsUnderAnyGroupVersion() {
        ProtoWriter options = proto().varint(1, 0).message(2, proto().string(1, "u1").string(2, "7"))
                .string(4, "Foreground").string(5, "All");
        assertThat(KubernetesProtobuf.decode(body("apps/v1", "DeleteOptions", options))).isEqualTo(json(
                "{'apiVersion':'apps/v1','kind':'DeleteOptions','gracePeriodSeconds':0,'preconditions':{'uid':'u1',"
                        + "'resourceVersion':'7'},'propagationPolicy':'Foreground','dryRun':['All']}"));
    }

    @Test
    void contentTypeDetection() {
        assertThat(KubernetesProtobuf.isProtobuf("application/vnd.kubernetes.protobuf")).isTrue();
        assertThat(KubernetesProtobuf.isProtobuf("Application/VND.Kubernetes.Protobuf; charset=x")).isTrue();
        assertThat(KubernetesProtobuf.isProtobuf("application/vnd.kubernetes.protobuf;stream=watch")).isTrue();
        assertThat(KubernetesProtobuf.isProtobuf("application/json")).isFalse();
        assertThat(KubernetesProtobuf.isProtobuf(null)).isFalse();
    }

    @Test
    void unsupportedKindsAre415() {
        assertThatThrownBy(() -> KubernetesProtobuf.decode(body("apps/v1", "StatefulSet", proto())))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(415);
                    assertThat(e.reason()).isEqualTo("UnsupportedMediaType");
                    assertThat(e.getMessage()).contains("StatefulSet", "apps/v1", "application/json");
                });
        byte[] gzipped = bodyWithEncoding("gzip");
        assertThatThrownBy(() -> KubernetesProtobuf.decode(gzipped))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(415));
    }

    @Test
    void malformedBodiesAre400() {
        ProtoWriter typeMeta = proto().string(1, "v1").string(2, "Namespace");
        byte[] good = withMagic(proto().message(1, typeMeta).message(2, proto().message(1, meta("foo"))));
        assertThat(KubernetesProtobuf.decode(good).get("metadata").get("name").asString()).isEqualTo("foo");

        assertBadRequest(null, "k8s");
        assertBadRequest(new byte[] {'{', '}'}, "k8s");
        assertBadRequest("{\"kind\":\"Namespace\"}".getBytes(StandardCharsets.UTF_8), "k8s");
        int afterTypeMeta = 4 + 2 + typeMeta.toByteArray().length;
        for (int length = 5; length < good.length; length++) { // every truncation fails cleanly...
            byte[] truncated = Arrays.copyOf(good, length);
            if (length != afterTypeMeta) { // ...except right after the TypeMeta: a Namespace with no fields
                assertBadRequest(truncated, "");
            }
        }
        assertBadRequest(withMagic(proto().varint(1, 5)), "wire type");
        assertBadRequest(withMagic(proto().raw(0x0B)), "wire type 3"); // groups are not used by Kubernetes
        assertBadRequest(withMagic(proto().raw(0x00)), "invalid field tag");
        assertBadRequest(withMagic(proto().raw(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)),
                "varint");
        assertBadRequest(body("v1", "Namespace", proto().varint(1, 3)), "field 1 (metadata) has wire type 0");
        assertBadRequest(body("v1", "Namespace", proto().message(1, proto().raw(0x0A, 0x05, 'a'))), "past the end");
        assertBadRequest(withMagic(proto().string(2, "raw only")), "apiVersion and kind");
    }

    private static byte[] withMagic(ProtoWriter unknown) {
        byte[] message = unknown.toByteArray();
        byte[] body = new byte[message.length + 4];
        body[0] = 'k';
        body[1] = '8';
        body[2] = 's';
        System.arraycopy(message, 0, body, 4, message.length);
        return body;
    }

    private static byte[] bodyWithEncoding(String encoding) {
        return withMagic(proto().message(1, proto().string(1, "v1").string(2, "Namespace"))
                .bytes(2, new byte[0]).string(3, encoding));
    }

    private static void assertBadRequest(byte[] body, String messagePart) {
        assertThatThrownBy(() -> KubernetesProtobuf.decode(body))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }
}

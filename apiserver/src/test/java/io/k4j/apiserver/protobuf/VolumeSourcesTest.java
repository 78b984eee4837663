package io.k4j.apiserver.protobuf;

import static io.k4j.apiserver.protobuf.ProtoWriter.proto;
import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The volume plugins of core/v1 VolumeSource, which pod templates copied by kubectl may name. */
class VolumeSourcesTest {

    private static ObjectNode json(String text) {
        return Json.parseObject(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode volume(ProtoWriter source) {
        return CoreV1.VOLUME.decode(new ProtoReader(proto().string(1, "v").message(2, source).toByteArray()));
    }

    @Test
    void legacyInTreePlugins() {
        assertThat(volume(proto().message(3, proto().string(1, "disk").string(2, "ext4").varint(3, 1).varint(4, 1))))
                .isEqualTo(json("{'name':'v','gcePersistentDisk':{'pdName':'disk','fsType':'ext4','partition':1,"
                        + "'readOnly':true}}"));
        assertThat(volume(proto().message(5, proto().string(1, "https://g/r").string(2, "abc"))))
                .isEqualTo(json("{'name':'v','gitRepo':{'repository':'https://g/r','revision':'abc'}}"));
        assertThat(volume(proto().message(8, proto().string(1, "10.0.0.1:3260").string(2, "iqn.x").varint(3, 0)
                .string(7, "10.0.0.2").varint(11, 1).message(10, proto().string(1, "chap")))))
                .isEqualTo(json("{'name':'v','iscsi':{'targetPortal':'10.0.0.1:3260','iqn':'iqn.x','lun':0,"
                        + "'portals':['10.0.0.2'],'chapAuthSession':true,'secretRef':{'name':'chap'}}}"));
        assertThat(volume(proto().message(11, proto().string(1, "m1").string(1, "m2").string(2, "img")
                .string(4, "rbd"))))
                .isEqualTo(json("{'name':'v','rbd':{'monitors':['m1','m2'],'image':'img','pool':'rbd'}}"));
        assertThat(volume(proto().message(12, proto().string(1, "vendor/driver")
                .message(5, proto().string(1, "k").string(2, "x")))))
                .isEqualTo(json("{'name':'v','flexVolume':{'driver':'vendor/driver','options':{'k':'x'}}}"));
        assertThat(volume(proto().message(17, proto().string(1, "wwn").varint(2, 0))))
                .isEqualTo(json("{'name':'v','fc':{'targetWWNs':['wwn'],'lun':0}}"));
        assertThat(volume(proto().message(22, proto().string(1, "d").string(2, "uri").string(3, "ReadOnly")
                .varint(5, 0))))
                .isEqualTo(json("{'name':'v','azureDisk':{'diskName':'d','diskURI':'uri','cachingMode':'ReadOnly',"
                        + "'readOnly':false}}"));
        assertThat(volume(proto().message(25, proto().string(1, "gw").string(2, "sys")
                .message(3, proto().string(1, "s")).string(8, "vol"))))
                .isEqualTo(json("{'name':'v','scaleIO':{'gateway':'gw','system':'sys','secretRef':{'name':'s'},"
                        + "'volumeName':'vol'}}"));
        assertThat(volume(proto().message(14, proto().string(1, "m").string(2, "/p")))).isEqualTo(
                json("{'name':'v','cephfs':{'monitors':['m'],'path':'/p'}}"));
    }

    @Test
    void imageVolumes() {
        assertThat(volume(proto().message(30, proto().string(1, "registry/artifact:1").string(2, "IfNotPresent"))))
                .isEqualTo(json("{'name':'v','image':{'reference':'registry/artifact:1','pullPolicy':'IfNotPresent'}}"));
    }
}

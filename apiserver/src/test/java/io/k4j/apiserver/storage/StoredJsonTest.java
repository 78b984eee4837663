package io.k4j.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.k4j.apiserver.api.Json;
import io.k4j.store.KeyValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoredJsonTest {

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String spliced(String stored, long revision) {
        byte[] result = StoredJson.withResourceVersion(bytes(stored), revision);
        return result == null ? null : new String(result, StandardCharsets.UTF_8);
    }

    /** What the watch cache did before: parse, set the resourceVersion, encode. */
    private static String parsedAndEncoded(String stored, long revision) {
        return new String(Json.bytes(ObjectStorage.decode(new KeyValue("/registry/k", bytes(stored), 1, revision, 1, 0))),
                StandardCharsets.UTF_8);
    }

    @Test
    void theResourceVersionGoesLastInMetadataAsIfTheObjectHadBeenParsedAndEncoded() {
        String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"namespace\":\"default\","
                + "\"labels\":{\"app\":\"x\"},\"managedFields\":[{\"manager\":\"kubectl\",\"fieldsV1\":{\"f:spec\":{}}}]},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},\"status\":{\"phase\":\"Pending\"}}";

        assertThat(spliced(pod, 42)).isEqualTo(parsedAndEncoded(pod, 42)).contains("}],\"resourceVersion\":\"42\"},\"spec\"");
    }

    @Test
    void metadataMayComeAnywhereBeEmptyOrFollowTextOfManyBytesPerCharacter() {
        String late = "{\"spec\":{\"metadata\":{\"x\":1}},\"kind\":\"Pöd ☃\",\"metadata\":{\"name\":\"ä\"}}";
        assertThat(spliced(late, 7)).isEqualTo(parsedAndEncoded(late, 7))
                .endsWith("\"metadata\":{\"name\":\"ä\",\"resourceVersion\":\"7\"}}");
        assertThat(spliced("{\"metadata\":{}}", 7)).isEqualTo("{\"metadata\":{\"resourceVersion\":\"7\"}}");
        String spaced = "{ \"metadata\" : { \"name\" : \"a\" } , \"kind\" : \"Pod\" }";
        assertThat(Json.parseObject(bytes(spliced(spaced, 7)))).isEqualTo(Json.parseObject(bytes(parsedAndEncoded(spaced, 7))));
    }

    @Test
    void whatItCannotDoItLeavesToTheParser() {
        assertThat(spliced("{\"kind\":\"Pod\"}", 7)).isNull();
        assertThat(spliced("{\"metadata\":\"x\"}", 7)).isNull();
        assertThat(spliced("{\"metadata\":{\"resourceVersion\":\"3\"}}", 7)).isNull();
        assertThat(spliced("[{\"metadata\":{}}]", 7)).isNull();
        assertThat(spliced("{\"metadata\":{\"name\":", 7)).isNull();
        assertThat(spliced("kind: Pod", 7)).isNull();
    }
}

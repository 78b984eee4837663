package io.k4j.apiserver.storage;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * An object's JSON as clients get it, made from the JSON stored without parsing the object: objects are stored
 * without their resourceVersion (it is the store's revision of the write), which goes in as the last field of
 * metadata, where {@link ObjectStorage#decode} puts it. The watch cache does this for every write instead of parsing
 * the object into a tree and encoding it again, which was a fifth of the API server's CPU under a stream of pod
 * bindings. Only metadata is read, token by token; the rest is copied as it is.
 */
public final class StoredJson {

    private static final JsonFactory JSON = new JsonFactory();

    private StoredJson() {
    }

    /**
     * {@code stored} with metadata.resourceVersion set to {@code revision}; null if it is not an object with a
     * metadata object, or already has a resourceVersion (callers then parse it).
     */
    public static byte[] withResourceVersion(byte[] stored, long revision) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), stored)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                boolean metadata = "metadata".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (!metadata) {
                    parser.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_OBJECT) {
                    return null;
                }
                boolean empty = true;
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    if ("resourceVersion".equals(parser.currentName())) {
                        return null;
                    }
                    empty = false;
                    parser.nextToken();
                    parser.skipChildren();
                }
                long end = parser.currentTokenLocation().getByteOffset(); // metadata's closing brace
                return insert(stored, (int) end, (empty ? "" : ",") + "\"resourceVersion\":\"" + revision + "\"");
            }
            return null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static byte[] insert(byte[] json, int at, String text) {
        byte[] inserted = text.getBytes(StandardCharsets.UTF_8);
        byte[] result = new byte[json.length + inserted.length];
        System.arraycopy(json, 0, result, 0, at);
        System.arraycopy(inserted, 0, result, at, inserted.length);
        System.arraycopy(json, at, result, at + inserted.length, json.length - at);
        return result;
    }
}

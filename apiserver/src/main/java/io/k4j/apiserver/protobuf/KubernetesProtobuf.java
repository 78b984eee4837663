package io.k4j.apiserver.protobuf;

import io.k4j.apiserver.api.ApiException;
import io.k4j.apiserver.api.Json;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns request bodies in the Kubernetes protobuf encoding ({@value #CONTENT_TYPE}) into the JSON object the same
 * request would have carried as {@code application/json}. kubectl's typed clients (create namespace/configmap/secret/
 * deployment/job/..., auth can-i/whoami, create token, drain, certificate approve) send these.
 *
 * <p>The body is the four bytes {@code k8s\0} followed by a {@code runtime.Unknown}: {@code 1: TypeMeta{1: apiVersion,
 * 2: kind}}, {@code 2: raw} (the object, encoded with k8s.io/api's generated.proto field numbers), {@code 3:
 * contentEncoding}, {@code 4: contentType}. Only the kinds described under this package are understood; others are a
 * 415 so that the client can see it must send JSON.
 */
public final class KubernetesProtobuf {

    public static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";

    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private static final Schema TYPE_META = Schema.message().string(1, "apiVersion").string(2, "kind");

    /** "group/version/Kind" (core: "v1/Kind") to the kind's schema. */
    private static final Map<String, Schema> KINDS = new HashMap<>();

    static {
        register("v1", CoreV1.KINDS);
        register("meta.k8s.io/v1", MetaV1.KINDS);
        register("apps/v1", AppsV1.KINDS);
        register("batch/v1", BatchV1.KINDS);
        register("authentication.k8s.io/v1", AuthenticationV1.KINDS);
        register("authorization.k8s.io/v1", AuthorizationV1.KINDS);
        register("rbac.authorization.k8s.io/v1", RbacV1.KINDS);
        register("policy/v1", PolicyV1.KINDS);
        register("networking.k8s.io/v1", NetworkingV1.KINDS);
        register("scheduling.k8s.io/v1", SchedulingV1.KINDS);
        register("autoscaling/v1", AutoscalingV1.KINDS);
        register("certificates.k8s.io/v1", CertificatesV1.KINDS);
    }

    private KubernetesProtobuf() {
    }

    private static void register(String apiVersion, Map<String, Schema> kinds) {
        kinds.forEach((kind, schema) -> KINDS.put(apiVersion + "/" + kind, schema));
    }

    /** Whether a Content-Type header (parameters allowed) names the Kubernetes protobuf encoding. */
    public static boolean isProtobuf(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return mediaType.equalsIgnoreCase(CONTENT_TYPE);
    }

    /**
     * The JSON form of a protobuf-encoded object, with {@code apiVersion} and {@code kind} first.
     *
     * @throws ApiException 415 for kinds (or encodings) this server cannot decode, 400 for malformed bodies
     */
    public static ObjectNode decode(byte[] body) {
        if (body == null || body.length < MAGIC.length || !startsWithMagic(body)) {
            throw ApiException.badRequest("the request body is not a Kubernetes protobuf message: it must start with "
                    + "the bytes \"k8s\\x00\"");
        }
        String apiVersion = null;
        String kind = null;
        String encoding = "";
        ProtoReader raw = new ProtoReader(new byte[0]);
        try {
            ProtoReader unknown = new ProtoReader(body, MAGIC.length, body.length - MAGIC.length);
            while (!unknown.atEnd()) {
                int tag = unknown.readTag();
                int wireType = ProtoReader.wireType(tag);
                switch (ProtoReader.fieldNumber(tag)) {
                    case 1 -> {
                        ObjectNode typeMeta = TYPE_META.decode(lengthDelimited(unknown, wireType));
                        apiVersion = Json.textAt(typeMeta, "apiVersion");
                        kind = Json.textAt(typeMeta, "kind");
                    }
                    case 2 -> raw = lengthDelimited(unknown, wireType);
                    case 3 -> encoding = lengthDelimited(unknown, wireType).remainingText();
                    default -> unknown.skip(wireType); // 4: contentType, informational
                }
            }
        } catch (ProtobufException e) {
            throw malformed(e);
        }
        if (apiVersion == null || apiVersion.isEmpty() || kind == null || kind.isEmpty()) {
            throw ApiException.badRequest("the protobuf request body does not name its apiVersion and kind");
        }
        if (!encoding.isEmpty()) {
            throw new ApiException(415, "UnsupportedMediaType", "the protobuf request body uses content encoding \""
                    + encoding + "\", which this server does not support; send application/json");
        }
        Schema schema = schemaFor(apiVersion, kind);
        if (schema == null) {
            throw new ApiException(415, "UnsupportedMediaType", "this server cannot decode " + kind + " (" + apiVersion
                    + ") from " + CONTENT_TYPE + "; send it as application/json");
        }
        ObjectNode object = Json.object();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        try {
            schema.decodeInto(raw, object);
        } catch (ProtobufException e) {
            throw malformed(e);
        }
        return object;
    }

    private static Schema schemaFor(String apiVersion, String kind) {
        Schema schema = KINDS.get(apiVersion + "/" + kind);
        if (schema == null && kind.equals("DeleteOptions")) {
            // Typed clients encode DeleteOptions under their own group version.
            schema = MetaV1.DELETE_OPTIONS;
        }
        return schema;
    }

    private static ProtoReader lengthDelimited(ProtoReader reader, int wireType) {
        if (wireType != ProtoReader.LENGTH_DELIMITED) {
            throw new ProtobufException("runtime.Unknown field has wire type " + wireType);
        }
        return reader.readMessage();
    }

    private static boolean startsWithMagic(byte[] body) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (body[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static ApiException malformed(ProtobufException e) {
        return ApiException.badRequest("the protobuf request body is malformed: " + e.getMessage());
    }
}

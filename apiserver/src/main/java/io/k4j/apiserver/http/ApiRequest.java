package io.k4j.apiserver.http;

import io.k4j.apiserver.auth.UserInfo;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as the API handlers see it, independent of HTTP/1.1 or HTTP/2.
 *
 * @param headers    header names in lower case
 * @param query      decoded query parameters, each with all its values
 * @param clientCertificates the verified client certificate chain, or an empty list
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                         byte[] body, List<X509Certificate> clientCertificates, UserInfo user,
                         boolean webSocketUpgrade) {

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String param(String name, String fallback) {
        String value = param(name);
        return value == null ? fallback : value;
    }

    /** A boolean parameter parsed like Go's strconv.ParseBool (Python sends "True"). */
    public boolean flag(String name) {
        String value = param(name);
        if (value == null) {
            return false;
        }
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            default -> false;
        };
    }

    public ApiRequest withUser(UserInfo authenticated) {
        return new ApiRequest(method, path, query, headers, body, clientCertificates, authenticated, webSocketUpgrade);
    }
}

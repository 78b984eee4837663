package io.k4j.apiserver.auth;

import io.k4j.apiserver.http.ApiRequest;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Finds who a request comes from: a bearer token from the static token table, else a client certificate the TLS
 * layer verified against the cluster CA (CN = user, O = groups), else anonymous. Every authenticated user is in
 * {@code system:authenticated}, as upstream.
 */
public final class Authenticator {

    /** Most clients keep their connection, so one certificate comes again and again; parsing its name is not free. */
    private static final int MAX_CERTIFICATE_USERS = 1024;

    private final Map<String, UserInfo> tokens;
    private final ServiceAccountTokens serviceAccountTokens;
    private final Map<X509Certificate, UserInfo> certificateUsers = new java.util.concurrent.ConcurrentHashMap<>();

    public Authenticator(Map<String, UserInfo> tokens) {
        this(tokens, null);
    }

    /** Also accepts the service-account JWTs {@code serviceAccountTokens} issued (null: none). */
    public Authenticator(Map<String, UserInfo> tokens, ServiceAccountTokens serviceAccountTokens) {
        this.tokens = Map.copyOf(tokens);
        this.serviceAccountTokens = serviceAccountTokens;
    }

    /** The requester, {@link UserInfo#ANONYMOUS}, or null for a bearer token that matches nobody. */
    public UserInfo authenticate(ApiRequest request) {
        String authorization = request.header("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authenticateToken(authorization.substring(7).trim(), List.of());
        }
        List<X509Certificate> chain = request.clientCertificates();
        if (!chain.isEmpty()) {
            return certificateUser(chain.get(0));
        }
        return UserInfo.ANONYMOUS;
    }

    private UserInfo certificateUser(X509Certificate certificate) {
        UserInfo user = certificateUsers.get(certificate);
        if (user == null) {
            user = withAuthenticated(fromCertificate(certificate));
            if (certificateUsers.size() >= MAX_CERTIFICATE_USERS) {
                certificateUsers.clear(); // many short-lived clients: start over rather than grow
            }
            certificateUsers.put(certificate, user);
        }
        return user;
    }

    /**
     * The user of a bearer token, for the API server (no audiences) or, as TokenReview asks, for one of the given
     * audiences; null if the token is not valid. Static tokens have no audience and are valid for any.
     */
    public UserInfo authenticateToken(String token, List<String> audiences) {
        UserInfo user = lookup(token);
        if (user == null && serviceAccountTokens != null && ServiceAccountTokens.looksLikeJwt(token)) {
            user = serviceAccountTokens.authenticate(token, audiences).orElse(null);
        }
        return user == null ? null : withAuthenticated(user);
    }

    /** Compares in constant time, so a token cannot be guessed from response times. */
    private UserInfo lookup(String token) {
        byte[] offered = token.getBytes(StandardCharsets.UTF_8);
        UserInfo found = null;
        for (Map.Entry<String, UserInfo> entry : tokens.entrySet()) {
            if (MessageDigest.isEqual(offered, entry.getKey().getBytes(StandardCharsets.UTF_8))) {
                found = entry.getValue();
            }
        }
        return found;
    }

    static UserInfo fromCertificate(X509Certificate certificate) {
        String user = "";
        List<String> groups = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    user = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            return UserInfo.ANONYMOUS;
        }
        java.util.Collections.reverse(groups);
        return new UserInfo(user, "", groups);
    }

    private static UserInfo withAuthenticated(UserInfo user) {
        if (user.groups().contains("system:authenticated")) {
            return user;
        }
        List<String> groups = new ArrayList<>(user.groups());
        groups.add("system:authenticated");
        return new UserInfo(user.name(), user.uid(), List.copyOf(groups), user.extra());
    }
}

package io.k4j.apiserver.auth;

import java.util.List;
import java.util.Map;

/** Who made a request: the user name, uid, groups and extra attributes, as authentication found them. */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", "", List.of("system:unauthenticated"));

    public UserInfo {
        groups = List.copyOf(groups);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public UserInfo(String name, String uid, List<String> groups) {
        this(name, uid, groups, Map.of());
    }

    public boolean isAnonymous() {
        return this == ANONYMOUS;
    }
}

package io.k4j.apiserver.auth;

import java.util.List;

/** Who made a request: the user name and groups, as authentication found them. */
public record UserInfo(String name, String uid, List<String> groups) {

    public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", "", List.of("system:unauthenticated"));

    public boolean isAnonymous() {
        return this == ANONYMOUS;
    }
}

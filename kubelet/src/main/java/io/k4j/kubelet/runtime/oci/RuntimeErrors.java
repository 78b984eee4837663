package io.k4j.kubelet.runtime.oci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns the runtime's logrus lines (time=... level=error msg="...") into the message a user should read. */
final class RuntimeErrors {
    private static final Pattern MSG = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private RuntimeErrors() {
    }

    static String message(String output) {
        Matcher matcher = MSG.matcher(output);
        String last = null;
        while (matcher.find()) {
            last = matcher.group(1).replace("\\\"", "\"");
        }
        return last != null ? last : output.strip();
    }
}

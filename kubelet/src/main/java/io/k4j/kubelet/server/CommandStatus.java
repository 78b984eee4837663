package io.k4j.kubelet.server;

/**
 * The outcome of exec or attach, as the v4/v5 protocols report it on channel 3: a metav1.Status, whose
 * NonZeroExitCode cause carries the exit code kubectl exits with. Older protocols get the message as text.
 */
record CommandStatus(boolean success, Integer exitCode, String message) {

    static CommandStatus exited(int code, String command) {
        if (code == 0) {
            return new CommandStatus(true, 0, "");
        }
        return new CommandStatus(false, code, "command terminated with non-zero exit code: command '" + command
                + "' exited with " + code);
    }

    static CommandStatus error(String message) {
        return new CommandStatus(false, null, message);
    }

    String json() {
        if (success) {
            return "{\"metadata\":{},\"status\":\"Success\"}";
        }
        StringBuilder json = new StringBuilder("{\"metadata\":{},\"status\":\"Failure\",\"message\":")
                .append(quote(message));
        if (exitCode != null) {
            json.append(",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"")
                    .append(exitCode).append("\"}]}");
        } else {
            json.append(",\"reason\":\"InternalError\"");
        }
        return json.append('}').toString();
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}

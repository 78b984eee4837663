package io.k4j.apiserver.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's static token file (--token-auth-file): one line per token, {@code token,user,uid[,"group1,group2"]}.
 * Blank lines and lines starting with # are skipped.
 */
public final class TokenFile {

    private TokenFile() {
    }

    public static Map<String, UserInfo> read(Path file) throws IOException {
        Map<String, UserInfo> tokens = new LinkedHashMap<>();
        int number = 0;
        for (String line : Files.readAllLines(file)) {
            number++;
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            List<String> fields = csv(trimmed);
            if (fields.size() < 3 || fields.get(0).isEmpty() || fields.get(1).isEmpty()) {
                throw new IOException(file + ":" + number + ": expected token,user,uid[,\"groups\"]");
            }
            List<String> groups = new ArrayList<>();
            if (fields.size() > 3 && !fields.get(3).isBlank()) {
                for (String group : fields.get(3).split(",")) {
                    groups.add(group.trim());
                }
            }
            tokens.put(fields.get(0), new UserInfo(fields.get(1), fields.get(2), List.copyOf(groups)));
        }
        return tokens;
    }

    private static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString().trim());
        return fields;
    }
}

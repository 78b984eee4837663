package io.k4j.apiserver.server;

import io.k4j.pki.IssuedCertificate;
import io.k4j.pki.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** Writes the admin kubeconfig (cluster "default", user "default", as k3s names them), readable by its owner only. */
public final class Kubeconfig {

    private Kubeconfig() {
    }

    public static void write(Path file, String serverUrl, X509Certificate ca, IssuedCertificate user) throws IOException {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - cluster:
                    certificate-authority-data: %s
                    server: %s
                  name: default
                contexts:
                - context:
                    cluster: default
                    user: default
                  name: default
                current-context: default
                preferences: {}
                users:
                - name: default
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                """.formatted(base64(Pem.encode(ca)), serverUrl, base64(user.certificatePem()),
                base64(Pem.encodeTraditional(user.privateKey())));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, yaml, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

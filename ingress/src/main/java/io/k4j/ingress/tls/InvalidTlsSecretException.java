package io.k4j.ingress.tls;

/** A TLS Secret that cannot be served; the message never contains key material. */
public final class InvalidTlsSecretException extends Exception {

    public InvalidTlsSecretException(String message) {
        super(message);
    }
}

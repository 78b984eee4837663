package io.k4j.kubelet.image;

/**
 * A pull that failed; {@code notFound} when the registry has no such image (ErrImagePull either way, but the
 * message says which), and the message is fit for the pod's status.
 */
public final class ImagePullException extends Exception {
    private final boolean notFound;

    public ImagePullException(String message, boolean notFound, Throwable cause) {
        super(message, cause);
        this.notFound = notFound;
    }

    public boolean notFound() {
        return notFound;
    }
}

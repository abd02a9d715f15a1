package org.phocap.platform;

/**
 * A stream ended because its client went away or stopped reading: nothing is wrong with the
 * service, so it is no error (see {@link ClientGoneLogFilter}). No stack trace: it is expected.
 */
public class ClientGone extends RuntimeException {
    public ClientGone(String message) {
        super(message, null, false, false);
    }
}

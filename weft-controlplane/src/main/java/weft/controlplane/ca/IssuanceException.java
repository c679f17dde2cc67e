package weft.controlplane.ca;

/**
 * A refused certificate request. {@link #reason()} tells the HTTP API which status to answer
 * (401 for {@link Reason#INVALID_TOKEN}, 404 for {@link Reason#UNKNOWN_WORKLOAD}, 400 otherwise);
 * the message is safe to return to the caller (it never contains a token or key material).
 */
public final class IssuanceException extends RuntimeException {
  /** Why a request was refused. */
  public enum Reason {
    /** The bootstrap token is unknown or malformed. */
    INVALID_TOKEN,
    /** The token is valid but its workload has no identity (deleted, or no service account). */
    UNKNOWN_WORKLOAD,
    /** The CSR does not parse, its signature does not verify, or its key is too weak. */
    INVALID_CSR,
    /** The SPIFFE ID or lifetime asked for is not acceptable. */
    INVALID_REQUEST
  }

  private final Reason reason;

  public IssuanceException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public IssuanceException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}

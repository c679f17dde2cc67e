package weft.controlplane;

import java.io.IOException;

/** A server could not bind its port because something else holds it. */
public final class PortInUseException extends IOException {
  private final String server;
  private final int port;

  public PortInUseException(String server, int port, Throwable cause) {
    super(server + " port " + port + " is already in use", cause);
    this.server = server;
    this.port = port;
  }

  /** {@code xds} or {@code api}. */
  public String server() {
    return server;
  }

  public int port() {
    return port;
  }
}

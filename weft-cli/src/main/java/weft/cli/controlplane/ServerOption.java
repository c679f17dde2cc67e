package weft.cli.controlplane;

import picocli.CommandLine.Option;

/** {@code --server}: where the control plane's HTTP API is. */
final class ServerOption {
  static final String DEFAULT = "http://127.0.0.1:15000";

  @Option(names = "--server", defaultValue = DEFAULT, paramLabel = "URL",
      description = "The control plane's HTTP API (default: ${DEFAULT-VALUE}).")
  String server;

  ApiClient client() {
    return new ApiClient(server);
  }
}

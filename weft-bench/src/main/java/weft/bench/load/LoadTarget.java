package weft.bench.load;

/** Where a generator sends its requests: {@code GET http://host:port/path}. */
public record LoadTarget(String host, int port, String path) {
  public String authority() {
    return host + ":" + port;
  }
}

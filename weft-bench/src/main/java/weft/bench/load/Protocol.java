package weft.bench.load;

/** HTTP/1.1 with keep-alive (one request in flight per connection) or cleartext HTTP/2 with prior knowledge. */
public enum Protocol {
  H1("HTTP/1.1"),
  H2C("h2c");

  private final String label;

  Protocol(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}

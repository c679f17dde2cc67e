package weft.bench.load;

/** A closed-loop run: responses with status 200 ({@code ok}) and anything else ({@code errors}). */
public record ThroughputResult(long ok, long errors, double seconds) {
  public double requestsPerSecond() {
    return seconds <= 0 ? 0 : ok / seconds;
  }
}

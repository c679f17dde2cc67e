package weft.cli.demo;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import weft.cli.demo.apps.HttpCall;
import weft.cli.demo.apps.MeshClient;

/** The requests each stage makes as tweet and as recruiter, and how they are printed. */
final class StageWalk {
  /** One request and what it got; status 0 when the connection failed. */
  record Row(String client, String method, String path, int status, String note) {}

  private record Call(String client, String method, String path, String body) {}

  private static final List<Call> CALLS = List.of(
      new Call("tweet", "GET", "/jobs/331", null),
      new Call("tweet", "POST", "/jobs", "{\"title\":\"Crypto influencer\"}"),
      new Call("tweet", "GET", "/applicants/1", null),
      new Call("recruiter", "GET", "/jobs/331", null),
      new Call("recruiter", "GET", "/applicants/1", null),
      new Call("recruiter", "POST", "/jobs", "{\"title\":\"Platform engineer\"}"));

  private StageWalk() {}

  static String title(int stage, int port) {
    return switch (stage) {
      case 1 -> "stage 1: no policy: every workload reaches every endpoint of jobs-api";
      case 2 -> "stage 2: L3/L4 policy (CiliumNetworkPolicy): tweet and recruiter may reach jobs-api on port " + port;
      case 3 -> "stage 3: least privilege at L7: tweet may only GET /jobs/{id}; recruiter may also GET /applicants/.* and POST /jobs";
      default -> throw new IllegalArgumentException("stage " + stage + " (expected: 1..3)");
    };
  }

  /** Sends the stage's requests and prints one line each. */
  static List<Row> run(Demo demo, Consumer<String> out) {
    int stage = demo.stage();
    out.accept("");
    out.accept("== " + title(stage, demo.resources().port()));
    List<Row> rows = new ArrayList<>();
    for (Call c : CALLS) {
      MeshClient client = demo.client(c.client());
      HttpCall.Response r = client.call(c.method(), c.path(), c.body());
      Row row = new Row(c.client(), c.method(), c.path(), r.status(), note(stage, c, r.status()));
      rows.add(row);
      out.accept(String.format("  as %-9s %-4s %-15s -> %s%s", c.client(), c.method(), c.path(),
          r.status() == 0 ? r.body() : r.status() + " " + reason(r.status()), row.note().isEmpty() ? "" : "   " + row.note()));
    }
    if (stage == 1) {
      rows.add(plaintext(demo, out));
    }
    out.accept("  (sidecar to sidecar: mTLS, PeerAuthentication STRICT; tweet is " + Demo.spiffeId("tweet")
        + ", recruiter is " + Demo.spiffeId("recruiter") + ", jobs-api is " + Demo.spiffeId("jobs-api") + ")");
    return rows;
  }

  /** What a client without a sidecar gets: STRICT mTLS refuses plaintext at jobs-api's door. */
  private static Row plaintext(Demo demo, Consumer<String> out) {
    int status;
    String what;
    try {
      status = HttpCall.send(demo.jobsApiInbound(), "jobs-api", "GET", "/jobs/331", null, Duration.ofSeconds(3)).status();
      what = status + " " + reason(status);
    } catch (IOException e) {
      status = 0;
      what = "refused: plaintext without a client certificate (" + e.getClass().getSimpleName() + ")";
    }
    out.accept(String.format("  no sidecar, plaintext to %s GET /jobs/331 -> %s", hostPort(demo), what));
    return new Row("plaintext", "GET", "/jobs/331", status, "");
  }

  private static String hostPort(Demo demo) {
    return demo.jobsApiInbound().getHostString() + ":" + demo.jobsApiInbound().getPort();
  }

  private static String note(int stage, Call c, int status) {
    boolean tweetOverreach = c.client().equals("tweet") && !c.method().equals("GET") || c.path().startsWith("/applicants")
        && c.client().equals("tweet");
    if (!tweetOverreach) {
      return "";
    }
    if (status >= 200 && status < 300) {
      return stage == 2 ? "<- exposure: L3/L4 cannot tell a read from a write" : "<- exposure: tweet never needs this";
    }
    return status == 403 ? "<- denied by policy jobs-api (L7)" : "";
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 503 -> "Service Unavailable";
      default -> "";
    };
  }
}

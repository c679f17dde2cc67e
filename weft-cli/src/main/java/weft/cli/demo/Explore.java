package weft.cli.demo;

import java.util.function.Consumer;

/** What the demo prints once the walk is done: how to look around while it runs. */
final class Explore {
  private Explore() {}

  static void print(Demo demo, DemoOptions options, Consumer<String> out) {
    String server = demo.apiPort() == 15000 ? "" : " --server http://127.0.0.1:" + demo.apiPort();
    String tweet = demo.client("tweet").outbound().getHostString() + ":" + Demo.OUTBOUND_PORT;
    String recruiter = demo.client("recruiter").outbound().getHostString() + ":" + Demo.OUTBOUND_PORT;
    int port = demo.resources().port();
    String config = demo.configDir().toString();
    out.accept("");
    out.accept("The demo keeps running (stage " + demo.stage() + "); explore from another terminal:");
    out.accept("  control plane API   http://127.0.0.1:" + demo.apiPort() + "/api/v1/status");
    out.accept("  workloads           ./weft get workloads" + server);
    out.accept("  proxies             ./weft get proxies" + server);
    out.accept("  one workload        ./weft describe workload default/jobs-api" + server);
    out.accept("  why tweet gets 403  ./weft policy trace -f " + config + " --from default/tweet --to default/jobs-api"
        + " --port " + port + " --http-method POST --http-path /jobs");
    out.accept("  request as tweet    curl -s -H 'Host: jobs-api' http://" + tweet + "/jobs/331");
    out.accept("                      curl -s -X POST -H 'Host: jobs-api' -d '{\"title\":\"x\"}' http://" + tweet + "/jobs");
    out.accept("  request as recruiter curl -s -H 'Host: jobs-api' http://" + recruiter + "/applicants/1");
    out.accept("  change the verdict  edit " + config + "/" + DemoResources.POLICY
        + " (e.g. add {method: POST, path: \"/jobs\"} to tweet's rules), save, and send the request again");
    out.accept("  flows, live         ./weft flows --follow" + server);
    out.accept("  what policy denied  ./weft flows --verdict denied" + server);
    out.accept("Ctrl-C stops everything.");
  }
}

package weft.cli.demo.apps;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tweet app: every few seconds it fetches a job offer through its sidecar and "tweets" it (a
 * line to {@code out}). It only ever needs {@code GET /jobs/{id}}: the least privilege stage 3
 * grants.
 */
public final class Tweeter implements AutoCloseable {
  private static final Pattern TITLE = Pattern.compile("\"title\":\"([^\"]*)\"");
  private static final int[] JOB_IDS = {1, 2, 331};

  private final MeshClient client;
  private final Consumer<String> out;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tweet");
    t.setDaemon(true);
    return t;
  });
  private int next;

  private Tweeter(MeshClient client, Consumer<String> out) {
    this.client = client;
    this.out = out;
  }

  /** Starts tweeting every {@code periodSeconds}. */
  public static Tweeter start(MeshClient client, Consumer<String> out, long periodSeconds) {
    Tweeter t = new Tweeter(client, out);
    t.timer.scheduleWithFixedDelay(t::tweetOnce, periodSeconds, periodSeconds, TimeUnit.SECONDS);
    return t;
  }

  /** Fetches one job and returns the tweet, or why there is none. */
  String tweetOnce() {
    int id = JOB_IDS[next++ % JOB_IDS.length];
    HttpCall.Response r = client.call("GET", "/jobs/" + id, null);
    Matcher m = TITLE.matcher(r.body());
    String line = r.status() == 200 && m.find()
        ? "tweet: \"We're hiring: " + m.group(1) + " (job " + id + ") #jobs\""
        : "tweet: no tweet, GET /jobs/" + id + " -> " + (r.status() == 0 ? r.body() : r.status());
    out.accept(line);
    return line;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

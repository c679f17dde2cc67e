package weft.cli.demo.apps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's jobs-api: a real HTTP service with an in-memory store. {@code GET /healthz}, {@code
 * GET /jobs/{id}}, {@code GET /applicants/{job-id}} (personal data: what tweet must not read), and
 * {@code POST /jobs} (body: the job title, as text or {@code {"title": "..."}}). Answers JSON.
 */
public final class JobsApi implements AutoCloseable {
  private static final Pattern JOB = Pattern.compile("/jobs/([0-9]+)");
  private static final Pattern APPLICANTS = Pattern.compile("/applicants/([0-9]+)");
  private static final Pattern TITLE = Pattern.compile("\"title\"\\s*:\\s*\"([^\"]*)\"");

  private final Map<Integer, String> jobs = new ConcurrentSkipListMap<>();
  private final Map<Integer, List<String>> applicants = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger(400);
  private final HttpServer server;
  private final ExecutorService threads;

  private JobsApi(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
    jobs.put(1, "Site reliability engineer");
    jobs.put(2, "Java developer (Netty)");
    jobs.put(331, "Service mesh engineer");
    applicants.put(1, List.of("Ada Lovelace <ada@example.com>", "Alan Turing <alan@example.com>"));
    applicants.put(331, List.of("Grace Hopper <grace@example.com>"));
  }

  /** Binds {@code address} (port 0: any free port) and serves until {@link #close}. */
  public static JobsApi start(InetSocketAddress address) throws IOException {
    HttpServer server = HttpServer.create(address, 64);
    ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "jobs-api");
      t.setDaemon(true);
      return t;
    });
    JobsApi api = new JobsApi(server, threads);
    server.createContext("/", api::handle);
    server.setExecutor(threads);
    server.start();
    return api;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      byte[] body = readBody(ex.getRequestBody());
      Matcher m;
      if (path.equals("/healthz") && method.equals("GET")) {
        send(ex, 200, "{\"status\":\"ok\"}");
      } else if ((m = JOB.matcher(path)).matches() && method.equals("GET")) {
        String title = jobs.get(Integer.parseInt(m.group(1)));
        if (title == null) {
          send(ex, 404, "{\"error\":\"no job " + m.group(1) + "\"}");
        } else {
          send(ex, 200, job(Integer.parseInt(m.group(1)), title));
        }
      } else if ((m = APPLICANTS.matcher(path)).matches() && method.equals("GET")) {
        int id = Integer.parseInt(m.group(1));
        if (!jobs.containsKey(id)) {
          send(ex, 404, "{\"error\":\"no job " + id + "\"}");
        } else {
          StringBuilder sb = new StringBuilder("{\"job\":").append(id).append(",\"applicants\":[");
          List<String> names = applicants.getOrDefault(id, List.of());
          for (int i = 0; i < names.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(quote(names.get(i)));
          }
          send(ex, 200, sb.append("]}").toString());
        }
      } else if (path.equals("/jobs") && method.equals("POST")) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        Matcher t = TITLE.matcher(text);
        String title = t.find() ? t.group(1) : text;
        if (title.isEmpty()) {
          send(ex, 400, "{\"error\":\"empty job title (expected: text or {\\\"title\\\": ...})\"}");
          return;
        }
        int id = nextId.getAndIncrement();
        jobs.put(id, title);
        send(ex, 201, job(id, title));
      } else if (path.equals("/jobs") || JOB.matcher(path).matches() || APPLICANTS.matcher(path).matches()
          || path.equals("/healthz")) {
        ex.getResponseHeaders().set("Allow", path.equals("/jobs") ? "POST" : "GET");
        send(ex, 405, "{\"error\":\"method " + method + " not allowed on " + path + "\"}");
      } else {
        send(ex, 404, "{\"error\":\"no route for " + method + " " + path + "\"}");
      }
    }
  }

  private static byte[] readBody(InputStream in) throws IOException {
    // The demo's bodies are tiny; a cap keeps a misbehaving client from exhausting memory.
    byte[] b = in.readNBytes(64 * 1024);
    in.transferTo(java.io.OutputStream.nullOutputStream());
    return b;
  }

  private static String job(int id, String title) {
    return "{\"id\":" + id + ",\"title\":" + quote(title) + "}";
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private static void send(HttpExchange ex, int status, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}

package weft.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.api.Workload;
import weft.controlplane.ca.IssuanceException;
import weft.controlplane.registry.Registry;
import weft.controlplane.store.ApiSource;
import weft.controlplane.store.StoreState;

/**
 * The control plane's HTTP API ({@code /api/v1/...}, JSON), on the JDK's HTTP server with its own
 * small thread pool so that nothing here can stall xDS pushes or file watching. Errors are JSON
 * {@code {"error": "...", "details": [...]}} with a status code that says whose fault it is.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  static final int MAX_BODY = 4 << 20;
  static final String CLUSTER_DOMAIN = "cluster.local";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final HttpServer server;
  private final ExecutorService executor;
  private final ApiBackend backend;
  private final FlowsEndpoint flows;
  private final Map<String, Instant> certificateExpiry = new ConcurrentHashMap<>();
  private volatile PolicyIndex policyIndex;

  private ApiServer(HttpServer server, ExecutorService executor, ApiBackend backend) {
    this.server = server;
    this.executor = executor;
    this.backend = backend;
    this.flows = new FlowsEndpoint(backend.flows());
  }

  /**
   * Serves on {@code address} (port 0 picks a free one: see {@link #port()}).
   *
   * @throws java.net.BindException if the port is taken
   */
  public static ApiServer start(InetSocketAddress address, ApiBackend backend) throws IOException {
    HttpServer http = HttpServer.create(address, 64);
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "weft-api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(executor);
    ApiServer api = new ApiServer(http, executor, backend);
    http.createContext("/", api::handle);
    http.start();
    log.info("http api listening on {}", http.getAddress());
    return api;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** An error answered to the client: status, message and details. */
  static final class ApiException extends RuntimeException {
    final int status;
    final List<String> details;

    ApiException(int status, String message, List<String> details) {
      super(message);
      this.status = status;
      this.details = List.copyOf(details);
    }

    ApiException(int status, String message) {
      this(status, message, List.of());
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    if (ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().equals("/api/v1/flows")) {
      serveFlows(ex);
      return;
    }
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getPath();
      try {
        Object body = route(method, path, ex);
        if (body instanceof String pem) {
          send(ex, 200, "application/x-pem-file", pem.getBytes(StandardCharsets.UTF_8));
        } else {
          send(ex, 200, "application/json", JSON.writeValueAsBytes(body));
        }
      } catch (ApiException e) {
        sendError(ex, e.status, e.getMessage(), e.details);
      } catch (RuntimeException e) {
        log.error("{} {} failed", method, path, e);
        sendError(ex, 500, "internal error: " + e, List.of());
      }
    }
  }

  /** Flows answer JSON lines, and a follower keeps its exchange open on a thread of its own. */
  private void serveFlows(HttpExchange ex) throws IOException {
    boolean handedOff = false;
    try {
      handedOff = flows.serve(ex);
    } catch (ApiException e) {
      sendError(ex, e.status, e.getMessage(), e.details);
    } catch (RuntimeException e) {
      log.error("GET /api/v1/flows failed", e);
      sendError(ex, 500, "internal error: " + e, List.of());
    } finally {
      if (!handedOff) {
        ex.close();
      }
    }
  }

  private Object route(String method, String path, HttpExchange ex) throws IOException {
    if (!path.startsWith("/api/v1/")) {
      throw new ApiException(404, "no such endpoint: " + method + " " + path + " (the API is under /api/v1/)");
    }
    String[] parts = path.substring("/api/v1/".length()).split("/");
    String resource = parts[0];
    boolean post = method.equals("POST");
    if (!post && !method.equals("GET")) {
      throw new ApiException(405, "method " + method + " not allowed (expected: GET or POST)");
    }
    StoreState state = backend.store().state();
    if (parts.length > 1 && !(resource.equals("workloads") && parts.length == 3)) {
      throw new ApiException(404, "no such endpoint: " + method + " " + path
          + " (only workloads have items: /api/v1/workloads/{namespace}/{name})");
    }
    return switch (resource) {
      case "status" -> requireGet(post, path, () -> status(state));
      case "workloads" -> parts.length == 3 ? requireGet(post, path, () -> describe(state, parts[1], parts[2]))
          : requireGet(post, path, () -> workloads(state));
      case "services" -> requireGet(post, path, () -> Registry.of(state.resources(), CLUSTER_DOMAIN).services()
          .stream().map(Views::service).toList());
      case "policies" -> requireGet(post, path, () -> {
        PolicyIndex index = index(state);
        return state.resources().all().stream().filter(Views::isPolicy).map(r -> Views.policy(r, state, index)).toList();
      });
      case "flows" -> requireGet(post, path, () -> {
        throw new IllegalStateException("GET /api/v1/flows is served by FlowsEndpoint");
      });
      case "proxies" -> requireGet(post, path, () -> backend.proxies().all().stream().map(Views::proxy).toList());
      case "apply" -> requirePost(post, path, () -> outcome(backend.apiSource().apply(text(ex))));
      case "delete" -> requirePost(post, path, () -> outcome(backend.apiSource().delete(text(ex))));
      case "tokens" -> requirePost(post, path, () -> token(state, json(ex)));
      case "certificates" -> requirePost(post, path, () -> certificate(json(ex)));
      default -> throw new ApiException(404, "no such endpoint: " + method + " " + path);
    };
  }

  private interface Body {
    Object get() throws IOException;
  }

  private static Object requireGet(boolean post, String path, Body body) throws IOException {
    if (post) {
      throw new ApiException(405, "POST not allowed on " + path + " (expected: GET)");
    }
    return body.get();
  }

  private static Object requirePost(boolean post, String path, Body body) throws IOException {
    if (!post) {
      throw new ApiException(405, "GET not allowed on " + path + " (expected: POST)");
    }
    return body.get();
  }

  private PolicyIndex index(StoreState state) {
    PolicyIndex i = policyIndex;
    if (i == null || i.revision() != state.revision()) {
      i = PolicyIndex.of(state.revision(), state.resources(), backend.policy());
      policyIndex = i; // racing threads compute equal indexes: last write wins harmlessly
    }
    return i;
  }

  private Map<String, Object> status(StoreState state) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("revision", state.revision());
    m.put("resources", state.resources().size());
    m.put("xdsVersion", backend.xdsVersion().getAsLong());
    List<Map<String, Object>> sources = new ArrayList<>();
    state.sources().forEach((name, s) -> {
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("source", name);
      sm.put("ok", s.ok());
      sm.put("errors", s.errors());
      sm.put("lastGoodRevision", s.lastGoodRevision());
      sources.add(sm);
    });
    m.put("sources", sources);
    m.put("policyProblems", index(state).problems());
    m.put("translationProblems", backend.translationProblems().get());
    var proxies = backend.proxies().all();
    Map<String, Object> pm = new LinkedHashMap<>();
    pm.put("total", proxies.size());
    pm.put("connected", proxies.stream().filter(p -> p.connected()).count());
    pm.put("inSync", proxies.stream().filter(p -> p.connected() && p.inSync()).count());
    pm.put("rejecting", proxies.stream().filter(p -> p.lastNack().isPresent() && !p.inSync()).count());
    // streams the mTLS xDS port refused: node id not that of the client certificate
    pm.put("denied", backend.proxies().denied());
    pm.put("lastDenied", backend.proxies().lastDenial());
    m.put("proxies", pm);
    var fs = backend.flows().stats();
    Map<String, Object> flowStats = new LinkedHashMap<>();
    flowStats.put("logStreams", backend.collector().streams());
    flowStats.put("entries", backend.collector().entries());
    flowStats.put("records", fs.received());
    flowStats.put("ignored", fs.ignored());
    flowStats.put("buffered", fs.buffered());
    flowStats.put("capacity", fs.capacity());
    flowStats.put("evicted", fs.evicted());
    flowStats.put("followers", fs.followers());
    flowStats.put("droppedByFollowers", fs.dropped());
    m.put("flows", flowStats);
    return m;
  }

  private List<Map<String, Object>> workloads(StoreState state) {
    String td = backend.policy().trustDomain();
    return state.resources().workloads().stream().map(w -> Views.workload(w, td)).toList();
  }

  private Map<String, Object> describe(StoreState state, String ns, String name) {
    Workload w = state.resources().workload(ns, name)
        .orElseThrow(() -> new ApiException(404, "workload " + ns + "/" + name + " not found"));
    String key = ns + "/" + name;
    PolicyIndex index = index(state);
    Map<String, Object> m = Views.workload(w, backend.policy().trustDomain());
    m.put("source", state.owners().get(w.key()));
    m.put("identity", index.identities().get(key));
    m.put("mtlsMode", index.mtlsMode().get(key));
    m.put("policies", index.byWorkload().getOrDefault(key, List.of()));
    m.put("proxy", backend.proxies().get(key).map(Views::proxy).orElse(null));
    Instant expiry = certificateExpiry.get(key);
    m.put("certificateExpiry", expiry == null ? null : expiry.toString());
    return m;
  }

  private static Map<String, Object> outcome(ApiSource.Outcome o) {
    return switch (o) {
      case ApiSource.Outcome.Done d -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resources", d.keys());
        m.put("revision", d.revision());
        yield m;
      }
      case ApiSource.Outcome.Refused r -> throw new ApiException(r.conflict() ? 409 : 400, r.error(), r.details());
    };
  }

  private Map<String, Object> token(StoreState state, JsonNode body) throws IOException {
    String workload = field(body, "workload");
    String[] nsName = workload.split("/", -1);
    if (nsName.length != 2 || state.resources().workload(nsName[0], nsName[1]).isEmpty()) {
      throw new ApiException(404, "workload " + workload + " not found (expected: NAMESPACE/NAME of a known workload)");
    }
    String token = backend.tokens().create(workload);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workload", workload);
    m.put("token", token);
    log.info("issued a bootstrap token for {}", workload);
    return m;
  }

  private String certificate(JsonNode body) {
    String token = field(body, "token");
    String csr = field(body, "csr");
    Optional<String> workload = backend.tokens().verify(token);
    try {
      String chain = backend.certificates().issue(token, csr);
      workload.ifPresent(w -> leafExpiry(chain).ifPresent(t -> certificateExpiry.put(w, t)));
      return chain;
    } catch (IssuanceException e) {
      int status = switch (e.reason()) {
        case INVALID_TOKEN -> 401;
        case UNKNOWN_WORKLOAD -> 404;
        case INVALID_CSR, INVALID_REQUEST -> 400;
      };
      throw new ApiException(status, e.getMessage());
    }
  }

  private static Optional<Instant> leafExpiry(String chainPem) {
    try {
      var cf = CertificateFactory.getInstance("X.509");
      var certs = cf.generateCertificates(new ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)));
      return certs.stream().findFirst().map(c -> ((X509Certificate) c).getNotAfter().toInstant());
    } catch (Exception e) {
      log.warn("cannot read the issued chain's expiry", e);
      return Optional.empty();
    }
  }

  private static String text(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new ApiException(413, "request body over " + MAX_BODY + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static JsonNode json(HttpExchange ex) throws IOException {
    String text = text(ex);
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new ApiException(400, "request body: expected a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ApiException(400, "request body: invalid JSON: " + e.getOriginalMessage());
    }
  }

  private static String field(JsonNode body, String name) {
    JsonNode v = body.get(name);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new ApiException(400, "request body: field \"" + name + "\" missing (expected: a non-empty string)");
    }
    return v.asText();
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    ex.getResponseBody().write(body);
  }

  private static void sendError(HttpExchange ex, int status, String message, List<String> details) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    m.put("details", details);
    send(ex, status, "application/json", JSON.writeValueAsBytes(m));
  }

  @Override
  public void close() {
    flows.close();
    server.stop(0);
    executor.shutdownNow();
  }
}

package weft.cli.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A client of the control plane's HTTP API ({@code /api/v1}), for the CLI's commands. */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A failed call, said as the user should read it: what went wrong and what to do. */
  static final class ApiError extends Exception {
    final List<String> details;

    ApiError(String message, List<String> details) {
      super(message);
      this.details = List.copyOf(details);
    }
  }

  /** Prints a failed call to {@code err} and returns the exit status for it (1). */
  static int report(java.io.PrintWriter err, ApiError e) {
    err.println("error: " + e.getMessage());
    e.details.forEach(d -> err.println("  " + d));
    err.flush();
    return 1;
  }

  private final String server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ApiClient(String server) {
    this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
  }

  JsonNode get(String path) throws ApiError {
    return parse(send(HttpRequest.newBuilder(uri(path)).GET()));
  }

  JsonNode post(String path, String body) throws ApiError {
    return parse(send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))));
  }

  private URI uri(String path) throws ApiError {
    try {
      return URI.create(server + "/api/v1/" + path);
    } catch (IllegalArgumentException e) {
      throw new ApiError("--server " + server + ": not a URL (expected: http://HOST:PORT)", List.of());
    }
  }

  /** Receives one line of a JSON-lines answer; false stops reading. */
  interface LineSink {
    boolean accept(String line) throws IOException;
  }

  /**
   * GETs a JSON-lines ({@code application/x-ndjson}) endpoint and hands each non-blank line to
   * {@code sink} as it arrives; a followed stream is read until the server ends it or the sink
   * says stop. Errors are reported as {@link #get} reports them.
   */
  void lines(String path, LineSink sink) throws ApiError {
    HttpResponse<InputStream> response = send(HttpRequest.newBuilder(uri(path)).GET(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() / 100 != 2) {
        parse(response.statusCode(), response.headers(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
        return;
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      for (String l; (l = in.readLine()) != null; ) {
        if (!l.isBlank() && !sink.accept(l)) {
          return;
        }
      }
    } catch (IOException e) {
      throw new ApiError("control plane at " + server + ": " + e.getMessage(), List.of());
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws ApiError {
    return send(request, HttpResponse.BodyHandlers.ofString());
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) throws ApiError {
    try {
      // the timeout is for the answer's headers; a followed stream then stays open
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), handler);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw unreachable(e);
    } catch (IOException e) {
      if (e.getCause() instanceof ConnectException c) {
        throw unreachable(c);
      }
      throw new ApiError("control plane at " + server + ": " + e.getMessage(), List.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError("interrupted", List.of());
    }
  }

  private ApiError unreachable(Exception e) {
    return new ApiError("cannot reach the control plane at " + server + " (" + describe(e)
        + "); start it with `weft controlplane --config-dir DIR` or point --server at it", List.of());
  }

  private static String describe(Exception e) {
    return e.getMessage() == null || e.getMessage().isEmpty() ? e.getClass().getSimpleName() : e.getMessage();
  }

  private JsonNode parse(HttpResponse<String> response) throws ApiError {
    return parse(response.statusCode(), response.headers(), response.body());
  }

  /** 2xx: the JSON body (or a text body as a JSON string); else the API's error and details. */
  private JsonNode parse(int status, HttpHeaders headers, String body) throws ApiError {
    String type = headers.firstValue("Content-Type").orElse("");
    boolean json = type.startsWith("application/json");
    JsonNode node = null;
    if (json) {
      try {
        node = JSON.readTree(body);
      } catch (IOException e) {
        throw new ApiError("control plane at " + server + ": invalid JSON answer: " + e.getMessage(), List.of());
      }
    }
    if (status / 100 == 2) {
      return json ? node : JSON.getNodeFactory().textNode(body);
    }
    if (node != null && node.hasNonNull("error")) {
      List<String> details = new ArrayList<>();
      node.path("details").forEach(d -> details.add(d.asText()));
      throw new ApiError(node.get("error").asText(), details);
    }
    throw new ApiError("control plane at " + server + " answered " + status
        + " (is it a weft control plane?)", List.of());
  }
}

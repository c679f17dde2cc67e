package weft.cli.demo.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class JobsApiTest {
  private JobsApi api;

  @BeforeEach
  void start() throws Exception {
    api = JobsApi.start(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpCall.Response call(String method, String path, String body) throws Exception {
    return HttpCall.send(api.address(), "jobs-api", method, path, body, Duration.ofSeconds(5));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "GET, /healthz, 200, ok",
    "GET, /jobs/331, 200, Service mesh engineer",
    "GET, /jobs/9999, 404, no job 9999",
    "GET, /applicants/1, 200, Ada Lovelace",
    "GET, /applicants/2, 200, '\"applicants\":[]'",
    "GET, /applicants/77, 404, no job 77",
    "DELETE, /jobs/1, 405, method DELETE not allowed",
    "GET, /jobs, 405, method GET not allowed",
    "GET, /payroll, 404, no route for GET /payroll",
  })
  void answersItsRoutesWithJson(String method, String path, int status, String fragment) throws Exception {
    HttpCall.Response r = call(method, path, null);
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.body()).startsWith("{").contains(fragment);
  }

  @Test
  void postedJobsGetAnIdAndCanBeRead() throws Exception {
    HttpCall.Response created = call("POST", "/jobs", "{\"title\":\"Platform \\\"engineer\\\"\"}");
    assertThat(created.status()).isEqualTo(201);
    String id = created.body().replaceAll(".*\"id\":([0-9]+).*", "$1");
    HttpCall.Response read = call("GET", "/jobs/" + id, null);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body()).contains("\"title\":\"Platform ");
  }

  @Test
  void anEmptyTitleIsABadRequest() throws Exception {
    assertThat(call("POST", "/jobs", "").status()).isEqualTo(400);
  }

  @Test
  void tweetTweetsTheJobItFetched() {
    List<String> lines = new ArrayList<>();
    MeshClient client = new MeshClient("tweet", api.address(), "jobs-api");
    try (Tweeter t = Tweeter.start(client, lines::add, 3600)) {
      assertThat(t.tweetOnce()).isEqualTo("tweet: \"We're hiring: Site reliability engineer (job 1) #jobs\"");
      assertThat(t.tweetOnce()).contains("Java developer (Netty)");
    }
    assertThat(lines).hasSize(2);
  }

  @Test
  void aClientWhoseSidecarIsDownGetsStatusZeroAndTheReason() {
    MeshClient client = new MeshClient("tweet", new InetSocketAddress("127.0.0.1", 1), "jobs-api");
    HttpCall.Response r = client.call("GET", "/jobs/1", null);
    assertThat(r.status()).isZero();
    assertThat(r.body()).startsWith("connection failed: ");
  }
}

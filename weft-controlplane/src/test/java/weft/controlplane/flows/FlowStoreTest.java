package weft.controlplane.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.controlplane.flows.FlowRecord.Verdict;

/** The ring buffer of flow records, its queries and its followers. */
class FlowStoreTest {
  static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

  static FlowRecord record(int second, String from, String to, Verdict verdict) {
    String[] f = from.split("/");
    String[] t = to.split("/");
    return new FlowRecord(T0.plusSeconds(second), FlowRecord.Direction.INGRESS,
        new FlowRecord.Source(f[0], f[1], null, "127.0.0.2:4000"),
        new FlowRecord.Destination(t[0], t[1], null, "127.0.0.1", 80), "http/1.1",
        new FlowRecord.Http("GET", "/" + second, 200), verdict, null, "", null, null, to, 0, 0);
  }

  static List<String> paths(List<FlowRecord> rs) {
    return rs.stream().map(r -> r.http().path()).toList();
  }

  @Test
  void keepsTheNewestCapacityRecordsOldestFirst() {
    FlowStore store = new FlowStore(3);
    IntStream.range(0, 5).forEach(i -> store.add(record(i, "default/tweet", "default/jobs-api", Verdict.FORWARDED)));
    assertThat(paths(store.query(FlowFilter.ALL, 100))).containsExactly("/2", "/3", "/4");
    assertThat(store.stats()).isEqualTo(new FlowStore.Stats(5, 3, 3, 2, 0, 0, 0));
  }

  @Test
  void limitKeepsTheNewestOfTheMatches() {
    FlowStore store = new FlowStore(10);
    IntStream.range(0, 6).forEach(i -> store.add(record(i, "default/tweet", "default/jobs-api", Verdict.FORWARDED)));
    assertThat(paths(store.query(FlowFilter.ALL, 2))).containsExactly("/4", "/5");
  }

  @Test
  void filtersBySinceSourceDestinationAndVerdict() {
    FlowStore store = new FlowStore(10);
    store.add(record(0, "default/tweet", "default/jobs-api", Verdict.FORWARDED));
    store.add(record(1, "default/tweet", "default/jobs-api", Verdict.DENIED));
    store.add(record(2, "default/recruiter", "default/jobs-api", Verdict.FORWARDED));
    store.add(record(3, "other/tweet", "other/db", Verdict.ERROR));
    assertThat(paths(store.query(filter(null, null, null, T0.plusSeconds(2)), 100))).containsExactly("/2", "/3");
    assertThat(paths(store.query(filter("default/tweet", null, null, null), 100))).containsExactly("/0", "/1");
    assertThat(paths(store.query(filter(null, "default/jobs-api", Verdict.FORWARDED, null), 100))).containsExactly("/0", "/2");
    assertThat(paths(store.query(filter("other", null, null, null), 100))).as("a namespace alone").containsExactly("/3");
    assertThat(paths(store.query(filter(null, null, Verdict.DENIED, null), 100))).containsExactly("/1");
  }

  @Test
  void toMatchesTheDestinationServiceToo() {
    FlowStore store = new FlowStore(10);
    store.add(new FlowRecord(T0, FlowRecord.Direction.EGRESS, new FlowRecord.Source("default", "tweet", null, null),
        new FlowRecord.Destination("default", null, "jobs", null, 80), "http/1.1", new FlowRecord.Http("GET", "/", 200),
        Verdict.FORWARDED, null, "", null, null, "default/tweet", 0, 0));
    assertThat(store.query(filter(null, "default/jobs", null, null), 10)).hasSize(1);
    assertThat(store.query(filter(null, "default/job", null, null), 10)).isEmpty();
  }

  @Test
  @Timeout(10)
  void aFollowerGetsTheHistoryThenNewRecordsWithoutGapOrDuplicate() throws Exception {
    FlowStore store = new FlowStore(10);
    store.add(record(0, "default/tweet", "default/jobs-api", Verdict.FORWARDED));
    store.add(record(1, "default/tweet", "default/jobs-api", Verdict.DENIED));
    try (FlowStore.Subscription sub = store.subscribe(filter(null, null, Verdict.DENIED, null), 100, 16)) {
      store.add(record(2, "default/tweet", "default/jobs-api", Verdict.FORWARDED));
      store.add(record(3, "default/tweet", "default/jobs-api", Verdict.DENIED));
      assertThat(sub.poll(Duration.ofSeconds(5)).http().path()).isEqualTo("/1");
      assertThat(sub.poll(Duration.ofSeconds(5)).http().path()).isEqualTo("/3");
      assertThat(sub.poll(Duration.ofMillis(10))).isNull();
      assertThat(store.stats().followers()).isEqualTo(1);
    }
    assertThat(store.stats().followers()).isZero();
  }

  @Test
  void aSlowFollowerLosesRecordsAndCountsThemWhileIngestionGoesOn() throws Exception {
    FlowStore store = new FlowStore(100);
    FlowStore.Subscription slow = store.subscribe(FlowFilter.ALL, 0, 4);
    FlowStore.Subscription fast = store.subscribe(FlowFilter.ALL, 0, 100);
    IntStream.range(0, 10).forEach(i -> store.add(record(i, "default/tweet", "default/jobs-api", Verdict.FORWARDED)));
    assertThat(slow.dropped()).isEqualTo(6);
    assertThat(fast.dropped()).isZero();
    assertThat(store.stats().dropped()).isEqualTo(6);
    assertThat(store.stats().received()).as("ingestion never waited").isEqualTo(10);
    List<String> got = new ArrayList<>();
    for (FlowRecord r; (r = slow.poll(Duration.ZERO)) != null; ) {
      got.add(r.http().path());
    }
    assertThat(got).as("the oldest queued are kept, the rest dropped").containsExactly("/0", "/1", "/2", "/3");
    slow.close();
    fast.close();
  }

  @Test
  void capacityMustBePositive() {
    assertThatThrownBy(() -> new FlowStore(0)).hasMessage("flow buffer capacity: 0 (expected: >= 1)");
  }

  static FlowFilter filter(String from, String to, Verdict v, Instant since) {
    return new FlowFilter(Optional.ofNullable(from), Optional.ofNullable(to), Optional.ofNullable(v), Optional.ofNullable(since));
  }
}

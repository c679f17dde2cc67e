package weft.controlplane.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import weft.controlplane.api.ApiServer.ApiException;
import weft.controlplane.flows.FlowFilter;
import weft.controlplane.flows.FlowRecord;

/**
 * The query of {@code GET /api/v1/flows}: {@code since} (a duration back from now, {@code 30s},
 * {@code 5m}, {@code 2h}, or an RFC 3339 instant), {@code from}/{@code to} ({@code NS/NAME} or
 * {@code NS}), {@code verdict} ({@code forwarded}, {@code denied}, {@code error}), {@code limit}
 * (the newest N of the history, 1..1000000) and {@code follow} ({@code true}: keep streaming).
 * A bad or unknown parameter is a 400 naming it.
 */
record FlowQuery(FlowFilter filter, int limit, boolean follow) {
  static final int MAX_LIMIT = 1_000_000;
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?(/[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?");

  static FlowQuery parse(String rawQuery, Instant now) {
    Map<String, String> params = params(rawQuery);
    Optional<Instant> since = Optional.empty();
    Optional<String> from = Optional.empty();
    Optional<String> to = Optional.empty();
    Optional<FlowRecord.Verdict> verdict = Optional.empty();
    int limit = MAX_LIMIT;
    boolean follow = false;
    for (Map.Entry<String, String> p : params.entrySet()) {
      String v = p.getValue();
      switch (p.getKey()) {
        case "since" -> since = Optional.of(since(v, now));
        case "from" -> from = Optional.of(name("from", v));
        case "to" -> to = Optional.of(name("to", v));
        case "verdict" -> verdict = Optional.of(switch (v.toLowerCase(Locale.ROOT)) {
          case "forwarded" -> FlowRecord.Verdict.FORWARDED;
          case "denied" -> FlowRecord.Verdict.DENIED;
          case "error" -> FlowRecord.Verdict.ERROR;
          default -> throw bad("verdict", v, "forwarded, denied or error");
        });
        case "limit" -> {
          try {
            limit = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            limit = -1;
          }
          if (limit < 1 || limit > MAX_LIMIT) {
            throw bad("limit", v, "a number from 1 to " + MAX_LIMIT);
          }
        }
        case "follow" -> follow = switch (v) {
          case "true", "" -> true;
          case "false" -> false;
          default -> throw bad("follow", v, "true or false");
        };
        default -> throw new ApiException(400, "unknown query parameter \"" + p.getKey()
            + "\" (expected: since, from, to, verdict, limit, follow)");
      }
    }
    return new FlowQuery(new FlowFilter(from, to, verdict, since), limit, follow);
  }

  private static Instant since(String v, Instant now) {
    Matcher m = DURATION.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
      return now.minus(d);
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw bad("since", v, "a duration such as 30s, 5m, 2h, or an RFC 3339 time such as 2026-01-02T15:04:05Z");
    }
  }

  private static String name(String param, String v) {
    if (!NAME.matcher(v).matches()) {
      throw bad(param, v, "NAMESPACE/NAME or NAMESPACE");
    }
    return v;
  }

  private static ApiException bad(String param, String value, String expected) {
    return new ApiException(400, "query parameter " + param + ": \"" + value + "\" (expected: " + expected + ")");
  }

  private static Map<String, String> params(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (out.put(k, v) != null) {
        throw new ApiException(400, "query parameter " + k + " given twice (expected: once)");
      }
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "query: invalid percent-encoding in \"" + s + "\"");
    }
  }
}

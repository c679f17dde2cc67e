package weft.proxy.filter.fault;

import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * A {@code FractionalPercent} and Envoy's runtime {@code featureEnabled} rule: {@code random %
 * denominator < numerator}. An unset percentage is 0%, as in Envoy.
 */
record Percent(long numerator, long denominator) {
  static Percent compile(FractionalPercent p, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(p, path, problems, "numerator", "denominator");
    long denominator =
        switch (p.getDenominator()) {
          case HUNDRED -> 100;
          case TEN_THOUSAND -> 10_000;
          case MILLION -> 1_000_000;
          case UNRECOGNIZED -> {
            problems.unsupported(
                path.field("denominator"), "denominator " + p.getDenominatorValue());
            yield 100;
          }
        };
    return new Percent(Integer.toUnsignedLong(p.getNumerator()), denominator);
  }

  boolean enabled(RandomSource random) {
    if (numerator <= 0) {
      return false;
    }
    return numerator >= denominator || random.nextNonNegative() % denominator < numerator;
  }

  /**
   * Envoy's header percentage ({@code x-envoy-fault-*-percentage}): the header gives the numerator,
   * capped by the configured one, over the configured denominator; an absent or malformed header
   * leaves the configured percentage.
   */
  Percent withHeader(HttpHeaders headers, AsciiString header) {
    long n = FaultHeaders.unsigned(headers.get(header));
    return n < 0 ? this : new Percent(Math.min(n, numerator), denominator);
  }
}

package weft.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/** Format strings come from users: compiling never throws, and plain text prints as itself. */
class AccessLogFormatPropertiesTest {
  private final FakeRecord record = new FakeRecord();

  @Provide
  Arbitrary<String> formatish() {
    // Dense in the characters that drive the parser: %, (, ), :, ?, digits and command letters.
    return Arbitraries.strings().withChars("%():?0123456789REQSPTAFH_ -/\"[]").ofMaxLength(40);
  }

  @Property(tries = 200)
  void compilingAnyStringRecordsProblemsInsteadOfThrowing(@ForAll("formatish") String format) {
    ConfigProblems problems = new ConfigProblems();
    AccessLogFormat f = AccessLogFormat.compile(format, ConfigPath.of("f"), problems);
    if (problems.isEmpty()) {
      assertThat(f.format(record)).isNotNull();
    }
  }

  @Property(tries = 200)
  void textWithoutPercentSignsPrintsAsItself(@ForAll String text) {
    String literal = text.replace("%", "");
    ConfigProblems problems = new ConfigProblems();
    AccessLogFormat f = AccessLogFormat.compile(literal, ConfigPath.of("f"), problems);
    assertThat(problems.list()).isEmpty();
    assertThat(f.format(record)).isEqualTo(literal);
  }

  @Property(tries = 150)
  void startTimePatternsEitherCompileOrNameTheirProblem(@ForAll("strftimeish") String pattern) {
    ConfigProblems problems = new ConfigProblems();
    AccessLogFormat f =
        AccessLogFormat.compile("%START_TIME(" + pattern + ")%", ConfigPath.of("f"), problems);
    if (problems.isEmpty()) {
      assertThat(f.format(record)).isNotNull();
    } else {
      assertThat(problems.list().get(0).message()).contains("START_TIME");
    }
  }

  @Provide
  Arbitrary<String> strftimeish() {
    return Arbitraries.strings()
        .withChars("%YmdHMSsfzZTEe*369qQ-: ")
        .ofMaxLength(20)
        .filter(s -> s.indexOf(')') < 0);
  }
}

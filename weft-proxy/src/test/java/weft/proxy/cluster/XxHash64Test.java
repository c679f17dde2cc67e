package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XxHash64Test {
  /** Reference vectors of XXH64 (xxHash's own test values) covering every tail length branch. */
  @ParameterizedTest(name = "xxh64(\"{0}\", {1})")
  @CsvSource({
    "'', 0, ef46db3751d8e999",
    "a, 0, d24ec4f1a98c6e5b",
    "abc, 0, 44bc2cf5ad770999",
    "message digest, 0, 066ed728fceeb3be",
    "abcdefghijklmnopqrstuvwxyz, 0, cfe1f278fa89835c",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789, 0, aaa46907d3047814",
  })
  void matchesReferenceVectors(String input, long seed, String hex) {
    assertThat(String.format("%016x", XxHash64.hash(input, seed))).isEqualTo(hex);
  }
}

package weft.api.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

  @ParameterizedTest(name = "{0} is the network {1}")
  @CsvSource({
    "10.1.2.3/8, 10.0.0.0/8",
    "192.168.1.0/24, 192.168.1.0/24",
    "0.0.0.0/0, 0.0.0.0/0",
    "2001:db8::1/32, 2001:db8::/32",
    "2001:DB8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128",
    "::/0, ::/0",
    "::1, ::1/128",
    "1:0:2:0:3:0:4:0/128, 1:0:2:0:3:0:4:0/128",
    "10.0.0.1, 10.0.0.1/32",
  })
  void hostBitsAreClearedSoSpellingsOfOneNetworkAreEqual(String text, String network) {
    assertThat(Cidr.parseAddressOrCidr(text).toString()).isEqualTo(network);
  }

  @ParameterizedTest(name = "{0} is refused")
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.0/33 | invalid CIDR \"10.0.0.0/33\": prefix length \"33\" (expected: 0..32)",
        "10.0.0/8 | invalid IP address \"10.0.0/8\"",
        "010.0.0.0/8 | invalid IP address \"010.0.0.0/8\"",
        "example.com/8 | invalid IP address \"example.com/8\"",
        "fe80::1%eth0/64 | invalid IP address \"fe80::1%eth0/64\"",
        "10.0.0.0 | invalid CIDR \"10.0.0.0\" (expected: address/prefix-length)",
      })
  void invalidCidrsAreRefusedWithTheValueInTheMessage(String text, String message) {
    assertThatThrownBy(() -> Cidr.parse(text)).hasMessage(message);
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.0.0/8, 10.255.0.1, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "10.0.0.0/9, 10.128.0.0, false",
    "0.0.0.0/0, 1.2.3.4, true",
    "0.0.0.0/0, ::1, false",
  })
  void containsComparesThePrefixBits(String cidr, String ip, boolean expected) {
    assertThat(Cidr.parse(cidr).contains(Cidr.parseAddress(ip))).isEqualTo(expected);
  }
}

package weft.proxy.tls;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Certificate chains that passed PKIX validation against one trust manager's CAs, remembered by
 * the SHA-256 of the exact chain presented (every certificate's DER, plus the direction and key
 * exchange type PKIX checked key usage for) until the earliest {@code notAfter} in the chain. A
 * chain seen again within that time skips the Java signature checks; a chain that differs in any
 * byte is a different key and is validated in full. Failures are never remembered. Bounded: when
 * full, it is emptied and refills with the chains in use. Thread-safe (shared by event loops).
 */
final class VerifiedChains {
  /** A PKIX check that throws when the chain is not trusted. */
  @FunctionalInterface
  interface Check {
    void run() throws CertificateException;
  }

  private record Key(long a, long b, long c, long d) {}

  private final int capacity;
  private final LongSupplier clockMillis;
  private final ConcurrentHashMap<Key, Long> validUntil = new ConcurrentHashMap<>();

  VerifiedChains(int capacity) {
    this(capacity, System::currentTimeMillis);
  }

  VerifiedChains(int capacity, LongSupplier clockMillis) {
    this.capacity = capacity;
    this.clockMillis = clockMillis;
  }

  /** Runs {@code pkix} unless this exact chain passed it before and has not expired since. */
  void check(X509Certificate[] chain, String authType, boolean client, Check pkix)
      throws CertificateException {
    Key key = key(chain, authType, client);
    long now = clockMillis.getAsLong();
    if (key != null) {
      Long until = validUntil.get(key);
      if (until != null && now < until) {
        return;
      }
    }
    pkix.run();
    if (key == null) {
      return;
    }
    long until = Long.MAX_VALUE;
    for (X509Certificate c : chain) {
      until = Math.min(until, c.getNotAfter().getTime());
    }
    if (validUntil.size() >= capacity) {
      validUntil.clear();
    }
    validUntil.put(key, until);
  }

  int size() {
    return validUntil.size();
  }

  private static Key key(X509Certificate[] chain, String authType, boolean client) {
    if (chain == null || chain.length == 0) {
      return null;
    }
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update((byte) (client ? 1 : 0));
      md.update(String.valueOf(authType).getBytes(StandardCharsets.UTF_8));
      for (X509Certificate c : chain) {
        byte[] der = c.getEncoded();
        md.update(ByteBuffer.allocate(4).putInt(der.length).array());
        md.update(der);
      }
      ByteBuffer d = ByteBuffer.wrap(md.digest());
      return new Key(d.getLong(), d.getLong(), d.getLong(), d.getLong());
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      return null; // validate in full every time rather than guess
    }
  }
}

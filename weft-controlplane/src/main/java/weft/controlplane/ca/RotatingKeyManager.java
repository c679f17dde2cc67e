package weft.controlplane.ca;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager whose one key and chain can be replaced while TLS contexts built on it keep
 * serving: each handshake asks for the alias first and for the key and chain of that alias next,
 * so a swap in between must not pair the new chain with the old key. Every material gets its own
 * alias and the previous one stays answerable until the next swap.
 *
 * <p>Thread-safe: handshakes read two volatile fields; {@link #set} is serialized.
 */
final class RotatingKeyManager extends X509ExtendedKeyManager {
  private record Material(String alias, PrivateKey key, X509Certificate[] chain) {}

  private volatile Material current;
  private volatile Material previous;
  private long generation;

  synchronized void set(PrivateKey key, java.util.List<X509Certificate> chain) {
    previous = current;
    current = new Material("weft-" + (++generation), key, chain.toArray(new X509Certificate[0]));
  }

  private String alias() {
    Material m = current;
    return m == null ? null : m.alias;
  }

  private Material find(String alias) {
    Material m = current;
    if (m != null && m.alias.equals(alias)) {
      return m;
    }
    Material p = previous;
    return p != null && p.alias.equals(alias) ? p : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String a = alias();
    return a == null ? null : new String[] {a};
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return alias();
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return alias();
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return alias();
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return alias();
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Material m = find(alias);
    return m == null ? null : m.chain.clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Material m = find(alias);
    return m == null ? null : m.key;
  }
}

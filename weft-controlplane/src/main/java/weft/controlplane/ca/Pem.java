package weft.controlplane.ca;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM encoding and decoding of certificates and private keys (Bouncy Castle's PEM codec). */
final class Pem {
  private Pem() {}

  static String encode(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        // private keys as PKCS#8 ("PRIVATE KEY"), which every TLS stack reads
        w.writeObject(o instanceof PrivateKey k ? new JcaPKCS8Generator(k, null) : o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing PEM to a string cannot fail", e);
    }
    return out.toString();
  }

  /** Every certificate in {@code pem}, in order; other PEM objects are an error. */
  static List<X509Certificate> certificates(String pem, String what) {
    List<X509Certificate> certs = new ArrayList<>();
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      for (Object o = p.readObject(); o != null; o = p.readObject()) {
        if (!(o instanceof X509CertificateHolder h)) {
          throw new IllegalArgumentException(
              what + ": unexpected " + o.getClass().getSimpleName() + " (expected: CERTIFICATE)");
        }
        certs.add(new JcaX509CertificateConverter().getCertificate(h));
      }
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(what + ": not a PEM certificate: " + e.getMessage(), e);
    }
    return certs;
  }

  /** The one private key in {@code pem}: PKCS#8 or the traditional EC/RSA forms, unencrypted. */
  static PrivateKey privateKey(String pem, String what) {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      return switch (o) {
        case PrivateKeyInfo info -> converter.getPrivateKey(info);
        // the traditional EC form may leave the public key out: use the private part only
        case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
        case null -> throw new IllegalArgumentException(what + ": no PEM object found");
        default -> throw new IllegalArgumentException(what + ": unsupported "
            + o.getClass().getSimpleName()
            + " (expected: an unencrypted PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY)");
      };
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": not a PEM private key: " + e.getMessage(), e);
    }
  }
}

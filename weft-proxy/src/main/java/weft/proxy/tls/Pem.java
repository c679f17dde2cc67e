package weft.proxy.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Decodes the PEM files Envoy configs point at: certificate chains and unencrypted private keys in
 * PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}, from {@code openssl genrsa} 1.x) or
 * SEC1 ({@code EC PRIVATE KEY}, from {@code openssl ecparam -genkey}) form. Bouncy Castle is not a
 * runtime dependency, so the two legacy key forms are re-wrapped as PKCS#8 by hand (a few DER bytes).
 */
final class Pem {
  private static final byte[] RSA_ENCRYPTION_OID = {
    0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
  private static final byte[] DER_NULL = {0x05, 0x00};
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  private Pem() {}

  /** One {@code -----BEGIN label-----} block: its label and decoded bytes. */
  record Block(String label, byte[] der) {}

  static List<Block> blocks(byte[] pem) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    List<Block> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int begin = text.indexOf("-----BEGIN ", from);
      if (begin < 0) {
        return out;
      }
      int labelEnd = text.indexOf("-----", begin + 11);
      if (labelEnd < 0) {
        return out;
      }
      String label = text.substring(begin + 11, labelEnd);
      String endMarker = "-----END " + label + "-----";
      int end = text.indexOf(endMarker, labelEnd);
      if (end < 0) {
        return out;
      }
      String body = text.substring(labelEnd + 5, end);
      out.add(new Block(label, Base64.getMimeDecoder().decode(body)));
      from = end + endMarker.length();
    }
  }

  /** Every certificate in the PEM text, leaf first as written; throws if there is none. */
  static List<X509Certificate> certificates(byte[] pem) throws CertificateException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certs = new ArrayList<>();
    for (Block b : blocks(pem)) {
      if (b.label().equals("CERTIFICATE") || b.label().equals("TRUSTED CERTIFICATE")) {
        certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
      }
    }
    if (certs.isEmpty()) {
      throw new CertificateException("no PEM CERTIFICATE block found");
    }
    return certs;
  }

  /** The first private key in the PEM text. */
  static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
    for (Block b : blocks(pem)) {
      switch (b.label()) {
        case "PRIVATE KEY" -> {
          return pkcs8(b.der());
        }
        case "RSA PRIVATE KEY" -> {
          return pkcs8(seq(VERSION_0, seq(RSA_ENCRYPTION_OID, DER_NULL), tlv(0x04, b.der())));
        }
        case "EC PRIVATE KEY" -> {
          byte[] curve = sec1Curve(b.der());
          return pkcs8(seq(VERSION_0, seq(EC_PUBLIC_KEY_OID, curve), tlv(0x04, b.der())));
        }
        case "ENCRYPTED PRIVATE KEY" ->
            throw new GeneralSecurityException("encrypted private keys are not supported");
        default -> {
          // EC PARAMETERS and other blocks that may precede the key
        }
      }
    }
    throw new GeneralSecurityException("no PEM PRIVATE KEY block found");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    GeneralSecurityException last = null;
    for (String alg : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException("unrecognised private key algorithm", last);
  }

  /**
   * The curve OID (a complete TLV) from a SEC1 ECPrivateKey: SEQUENCE { version, OCTET STRING,
   * [0] ECParameters, [1] publicKey }.
   */
  private static byte[] sec1Curve(byte[] der) throws GeneralSecurityException {
    int[] pos = {0};
    expectTag(der, pos, 0x30);
    readLength(der, pos);
    while (pos[0] < der.length) {
      int tag = der[pos[0]++] & 0xff;
      int len = readLength(der, pos);
      if (tag == 0xa0) {
        byte[] curve = new byte[len];
        System.arraycopy(der, pos[0], curve, 0, len);
        if (curve.length == 0 || curve[0] != 0x06) {
          throw new GeneralSecurityException("EC private key parameters are not a named curve");
        }
        return curve;
      }
      pos[0] += len;
    }
    throw new GeneralSecurityException("EC private key has no curve parameters");
  }

  private static void expectTag(byte[] der, int[] pos, int tag) throws GeneralSecurityException {
    if (pos[0] >= der.length || (der[pos[0]++] & 0xff) != tag) {
      throw new GeneralSecurityException("malformed DER private key");
    }
  }

  private static int readLength(byte[] der, int[] pos) throws GeneralSecurityException {
    if (pos[0] >= der.length) {
      throw new GeneralSecurityException("malformed DER private key");
    }
    int b = der[pos[0]++] & 0xff;
    if (b < 0x80) {
      return b;
    }
    int n = b & 0x7f;
    if (n > 3 || pos[0] + n > der.length) {
      throw new GeneralSecurityException("malformed DER private key");
    }
    int len = 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | (der[pos[0]++] & 0xff);
    }
    if (pos[0] + len > der.length) {
      throw new GeneralSecurityException("malformed DER private key");
    }
    return len;
  }

  private static byte[] seq(byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      body.writeBytes(p);
    }
    return tlv(0x30, body.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    out.write(tag);
    int len = value.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else if (len < 0x10000) {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len);
    } else {
      out.write(0x83);
      out.write(len >> 16);
      out.write(len >> 8);
      out.write(len);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}

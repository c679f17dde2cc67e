package weft.api.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import weft.api.istio.Condition;
import weft.api.istio.ConditionKey;
import weft.api.istio.ConditionKey.Attribute;
import weft.api.meta.Cidr;

/** Istio {@code when[]} conditions: key parsing and per-key value checks, plus shared value rules. */
final class IstioConditions {
  private IstioConditions() {}

  static Optional<Condition> condition(Obj c) {
    Problems problems = c.problems();
    int before = problems.size();
    Optional<ConditionKey> key = c.requiredString("key").flatMap(k -> key(k, c.at("key"), problems));
    List<String> values = c.strings("values");
    List<String> notValues = c.strings("notValues");
    if (key.isPresent()) {
      if (values.isEmpty() && notValues.isEmpty()) {
        problems.add(c.path(), "at least one of values or notValues must be set for key " + key.get());
      }
      checkValues(key.get(), values, c.at("values"), problems);
      checkValues(key.get(), notValues, c.at("notValues"), problems);
    }
    c.finish();
    return problems.size() > before ? Optional.empty() : Optional.of(new Condition(key.get(), values, notValues));
  }

  /** Parses {@code source.ip}, {@code request.headers[x-token]}, {@code request.auth.claims[groups]}. */
  static Optional<ConditionKey> key(String key, FieldPath at, Problems problems) {
    int bracket = key.indexOf('[');
    String name = bracket < 0 ? key : key.substring(0, bracket);
    Optional<String> parameter = Optional.empty();
    if (bracket >= 0) {
      if (!key.endsWith("]") || key.length() - bracket < 3) {
        problems.add(at, "invalid key " + Values.quote(key) + " (expected: name[parameter])");
        return Optional.empty();
      }
      parameter = Optional.of(key.substring(bracket + 1, key.length() - 1));
    }
    for (Attribute a : Attribute.values()) {
      if (a.wireName().equals(name)) {
        if (a.parameterized() != parameter.isPresent()) {
          problems.add(
              at,
              a.parameterized()
                  ? "key " + Values.quote(key) + " needs a parameter, e.g. " + a.wireName() + "[name]"
                  : "key " + Values.quote(key) + " takes no parameter");
          return Optional.empty();
        }
        return Optional.of(new ConditionKey(a, parameter));
      }
    }
    if (name.equals("request.auth.audiences") || name.equals("request.auth.presenter") || name.startsWith("experimental.")) {
      problems.add(at, "key " + Values.quote(key) + " is not supported by weft");
    } else {
      problems.add(
          at,
          "unknown key " + Values.quote(key) + " (expected: request.headers[...], source.ip, remote.ip, source.namespace,"
              + " source.principal, request.auth.principal, request.auth.claims[...], destination.ip,"
              + " destination.port or connection.sni)");
    }
    return Optional.empty();
  }

  private static void checkValues(ConditionKey key, List<String> values, FieldPath at, Problems problems) {
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      FieldPath p = at.index(i);
      switch (key.attribute()) {
        case SOURCE_IP, REMOTE_IP, DESTINATION_IP -> ipOrCidr(v, p, problems);
        case DESTINATION_PORT -> portText(v, p, problems);
        case REQUEST_HEADERS, SOURCE_NAMESPACE, SOURCE_PRINCIPAL, REQUEST_AUTH_PRINCIPAL,
            REQUEST_AUTH_CLAIMS, CONNECTION_SNI ->
            checkStringMatch(v).ifPresent(m -> problems.add(p, m));
      }
    }
  }

  /** Istio StringMatch forms: exact, {@code prefix*}, {@code *suffix}, {@code *}. */
  static Optional<String> checkStringMatch(String v) {
    int star = v.indexOf('*');
    if (star < 0 || v.equals("*")) {
      return Optional.empty();
    }
    boolean prefix = star == v.length() - 1;
    boolean suffix = star == 0 && v.indexOf('*', 1) < 0;
    if (!prefix && !suffix) {
      return Optional.of(
          "invalid value " + Values.quote(v) + " ('*' is only allowed once, at the start or the end)");
    }
    return Optional.empty();
  }

  static Optional<Cidr> ipOrCidr(String s, FieldPath at, Problems problems) {
    try {
      return Optional.of(Cidr.parseAddressOrCidr(s));
    } catch (IllegalArgumentException e) {
      problems.add(at, e.getMessage());
      return Optional.empty();
    }
  }

  /** Istio writes ports as strings ("8080"); a plain number is accepted too. */
  static Optional<Integer> port(JsonNode v, FieldPath at, Problems problems) {
    if (v.isIntegralNumber()) {
      return Values.integer(v, 1, 65535, at, problems);
    }
    return Values.string(v, at, problems).flatMap(s -> portText(s, at, problems));
  }

  private static Optional<Integer> portText(String s, FieldPath at, Problems problems) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)
        || Integer.parseInt(s) < 1 || Integer.parseInt(s) > 65535) {
      problems.add(at, "expected a port number 1..65535, got " + Values.quote(s));
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(s));
  }
}

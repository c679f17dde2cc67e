package weft.proxy.filter.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/**
 * Properties of rbac.proto's actions over random policies and requests: a DENY policy only ever
 * takes access away, an ALLOW policy only ever grants it, and policy order does not matter.
 */
class RbacPropertiesTest {
  private static final List<TestRbacRequest> REQUESTS = requests();

  @Property(tries = 200)
  void addingADenyPolicyNeverAllowsMore(@ForAll long seed) {
    Random rnd = new Random(seed);
    RBAC before = rbac(RBAC.Action.DENY, rnd, rnd.nextInt(3));
    RBAC after = before.toBuilder().putPolicies("added", policy(rnd)).build();
    RbacEngine b = compile(before);
    RbacEngine a = compile(after);
    for (TestRbacRequest r : REQUESTS) {
      if (a.evaluate(r).allowed()) {
        assertThat(b.evaluate(r).allowed()).as("%s allowed after adding a deny policy", r).isTrue();
      }
    }
  }

  @Property(tries = 200)
  void addingAnAllowPolicyNeverDeniesMore(@ForAll long seed) {
    Random rnd = new Random(seed);
    RBAC before = rbac(RBAC.Action.ALLOW, rnd, rnd.nextInt(3));
    RBAC after = before.toBuilder().putPolicies("added", policy(rnd)).build();
    RbacEngine b = compile(before);
    RbacEngine a = compile(after);
    for (TestRbacRequest r : REQUESTS) {
      if (b.evaluate(r).allowed()) {
        assertThat(a.evaluate(r).allowed()).isTrue();
      }
    }
  }

  @Property(tries = 100)
  void theVerdictDoesNotDependOnTheOrderPoliciesAreListed(@ForAll long seed) {
    Random rnd = new Random(seed);
    RBAC forward = rbac(RBAC.Action.ALLOW, rnd, 3);
    RBAC.Builder reversed = RBAC.newBuilder().setAction(RBAC.Action.ALLOW);
    List<String> names = new ArrayList<>(forward.getPoliciesMap().keySet());
    java.util.Collections.reverse(names);
    names.forEach(n -> reversed.putPolicies(n, forward.getPoliciesMap().get(n)));
    RbacEngine f = compile(forward);
    RbacEngine v = compile(reversed.build());
    for (TestRbacRequest r : REQUESTS) {
      assertThat(v.evaluate(r)).isEqualTo(f.evaluate(r));
    }
  }

  private static RbacEngine compile(RBAC rbac) {
    ConfigProblems problems = new ConfigProblems();
    RbacEngine e = RbacEngine.compile(rbac, ConfigPath.of("rules"), problems);
    assertThat(problems.list()).isEmpty();
    return e;
  }

  private static RBAC rbac(RBAC.Action action, Random rnd, int policies) {
    RBAC.Builder b = RBAC.newBuilder().setAction(action);
    for (int i = 0; i < policies; i++) {
      b.putPolicies("p" + i, policy(rnd));
    }
    return b.build();
  }

  private static Policy policy(Random rnd) {
    Policy.Builder p = Policy.newBuilder();
    for (int i = 0, n = 1 + rnd.nextInt(2); i < n; i++) {
      p.addPermissions(permission(rnd, 2));
    }
    for (int i = 0, n = 1 + rnd.nextInt(2); i < n; i++) {
      p.addPrincipals(principal(rnd, 2));
    }
    return p.build();
  }

  private static Permission permission(Random rnd, int depth) {
    int kind = rnd.nextInt(depth > 0 ? 8 : 5);
    return switch (kind) {
      case 0 -> Permission.newBuilder().setAny(true).build();
      case 1 -> Permission.newBuilder().setHeader(header(":method", pick(rnd, "GET", "POST"))).build();
      case 2 -> Permission.newBuilder().setUrlPath(PathMatcher.newBuilder()
          .setPath(StringMatcher.newBuilder().setPrefix(pick(rnd, "/", "/admin", "/products")))).build();
      case 3 -> Permission.newBuilder().setDestinationPort(rnd.nextBoolean() ? 8080 : 443).build();
      case 4 -> Permission.newBuilder().setHeader(header("x-role", pick(rnd, "admin", "user"))).build();
      case 5 -> Permission.newBuilder().setNotRule(permission(rnd, depth - 1)).build();
      case 6 -> Permission.newBuilder().setAndRules(Permission.Set.newBuilder()
          .addRules(permission(rnd, depth - 1)).addRules(permission(rnd, depth - 1))).build();
      default -> Permission.newBuilder().setOrRules(Permission.Set.newBuilder()
          .addRules(permission(rnd, depth - 1)).addRules(permission(rnd, depth - 1))).build();
    };
  }

  private static Principal principal(Random rnd, int depth) {
    int kind = rnd.nextInt(depth > 0 ? 7 : 4);
    return switch (kind) {
      case 0 -> Principal.newBuilder().setAny(true).build();
      case 1 -> Principal.newBuilder().setRemoteIp(CidrRange.newBuilder()
          .setAddressPrefix(pick(rnd, "10.0.0.0", "192.168.0.0")).setPrefixLen(UInt32Value.of(8))).build();
      case 2 -> Principal.newBuilder().setAuthenticated(Principal.Authenticated.newBuilder()
          .setPrincipalName(StringMatcher.newBuilder().setPrefix(pick(rnd, "spiffe://weft/", "spiffe://other/")))).build();
      case 3 -> Principal.newBuilder().setHeader(header("x-role", pick(rnd, "admin", "user"))).build();
      case 4 -> Principal.newBuilder().setNotId(principal(rnd, depth - 1)).build();
      case 5 -> Principal.newBuilder().setAndIds(Principal.Set.newBuilder()
          .addIds(principal(rnd, depth - 1)).addIds(principal(rnd, depth - 1))).build();
      default -> Principal.newBuilder().setOrIds(Principal.Set.newBuilder()
          .addIds(principal(rnd, depth - 1)).addIds(principal(rnd, depth - 1))).build();
    };
  }

  private static HeaderMatcher header(String name, String exact) {
    return HeaderMatcher.newBuilder().setName(name).setStringMatch(StringMatcher.newBuilder().setExact(exact)).build();
  }

  private static String pick(Random rnd, String... values) {
    return values[rnd.nextInt(values.length)];
  }

  private static List<TestRbacRequest> requests() {
    List<TestRbacRequest> out = new ArrayList<>();
    for (String method : List.of("GET", "POST")) {
      for (String path : List.of("/", "/admin/x", "/products?id=1")) {
        for (String ip : List.of("10.1.2.3", "192.168.1.1")) {
          for (int port : List.of(8080, 443)) {
            for (String role : List.of("", "admin")) {
              for (boolean mtls : List.of(false, true)) {
                TestRbacRequest r = TestRbacRequest.get(path).method(method).from(ip).to("127.0.0.1", port);
                if (!role.isEmpty()) {
                  r = r.header("x-role", role);
                }
                if (mtls) {
                  r = r.peer(List.of("spiffe://weft/sa/a"), List.of(), "");
                }
                out.add(r);
              }
            }
          }
        }
      }
    }
    return out;
  }
}

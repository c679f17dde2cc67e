package weft.proxy.filter.rbac;

import com.github.xds.core.v3.TypedExtensionConfig;
import com.github.xds.type.matcher.v3.Matcher;
import com.github.xds.type.matcher.v3.Matcher.MatcherList.Predicate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.matcher.StringMatcher;

/**
 * The RBAC {@code matcher} form: an {@code xds.type.matcher.v3.Matcher} tree whose actions are
 * {@code envoy.config.rbac.v3.Action}s. As in xds matcher.proto and Envoy's RBAC matcher engine:
 * the first field matcher whose predicate holds decides; a nested matcher that does not match
 * makes the whole match fail; {@code on_no_match} applies when nothing above matched; and when
 * nothing matches at all the request is denied. ALLOW and LOG allow, DENY denies.
 */
final class MatcherEngine implements RbacEngine {
  private static final RbacDecision DEFAULT_DENY = new RbacDecision(false, "", false);

  sealed interface OnMatch {}

  record Act(RbacDecision decision) implements OnMatch {}

  record Nested(Node node) implements OnMatch {}

  sealed interface Node {}

  record Field(Pred predicate, OnMatch onMatch) {}

  record ListNode(Field[] fields, OnMatch onNoMatch) implements Node {}

  record TreeNode(MatchInput input, Map<String, OnMatch> exact, String[] prefixes,
      OnMatch[] prefixMatches, OnMatch onNoMatch) implements Node {}

  sealed interface Pred {}

  record Single(MatchInput input, StringMatcher matcher) implements Pred {}

  record AllOf(Pred[] preds) implements Pred {}

  record AnyOf(Pred[] preds) implements Pred {}

  record NoneOf(Pred pred) implements Pred {}

  private final Node root;

  private MatcherEngine(Node root) {
    this.root = root;
  }

  static MatcherEngine compile(Matcher m, ConfigPath path, ConfigProblems problems) {
    int before = problems.list().size();
    Node root = node(m, path, problems);
    return problems.list().size() > before || root == null ? null : new MatcherEngine(root);
  }

  @Override
  public RbacDecision evaluate(RbacRequest r) {
    RbacDecision d = eval(root, r);
    return d == null ? DEFAULT_DENY : d;
  }

  private static RbacDecision eval(Node n, RbacRequest r) {
    switch (n) {
      case ListNode l -> {
        for (Field f : l.fields()) {
          if (test(f.predicate(), r)) {
            return onMatch(f.onMatch(), r);
          }
        }
        return l.onNoMatch() == null ? null : onMatch(l.onNoMatch(), r);
      }
      case TreeNode t -> {
        String v = t.input().get(r);
        if (v != null) {
          OnMatch exact = t.exact().get(v);
          if (exact != null) {
            return onMatch(exact, r);
          }
          for (int i = 0; i < t.prefixes().length; i++) {
            if (v.startsWith(t.prefixes()[i])) {
              return onMatch(t.prefixMatches()[i], r);
            }
          }
        }
        return t.onNoMatch() == null ? null : onMatch(t.onNoMatch(), r);
      }
    }
  }

  private static RbacDecision onMatch(OnMatch m, RbacRequest r) {
    return switch (m) {
      case Act a -> a.decision();
      case Nested nested -> eval(nested.node(), r);
    };
  }

  private static boolean test(Pred p, RbacRequest r) {
    return switch (p) {
      case Single s -> s.matcher().matches(s.input().get(r));
      case AllOf a -> {
        for (Pred x : a.preds()) {
          if (!test(x, r)) {
            yield false;
          }
        }
        yield true;
      }
      case AnyOf a -> {
        for (Pred x : a.preds()) {
          if (test(x, r)) {
            yield true;
          }
        }
        yield false;
      }
      case NoneOf n -> !test(n.pred(), r);
    };
  }

  // ---- compile ----

  private static Node node(Matcher m, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(m, path, problems, "matcher_list", "matcher_tree", "on_no_match");
    OnMatch onNoMatch = m.hasOnNoMatch() ? onMatch(m.getOnNoMatch(), path.field("on_no_match"), problems) : null;
    return switch (m.getMatcherTypeCase()) {
      case MATCHER_LIST -> {
        ConfigPath lp = path.field("matcher_list");
        SupportedFields.check(m.getMatcherList(), lp, problems, "matchers");
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < m.getMatcherList().getMatchersCount(); i++) {
          var fm = m.getMatcherList().getMatchers(i);
          ConfigPath fp = lp.field("matchers").index(i);
          SupportedFields.check(fm, fp, problems, "predicate", "on_match");
          Pred p = predicate(fm.getPredicate(), fp.field("predicate"), problems);
          OnMatch om = onMatch(fm.getOnMatch(), fp.field("on_match"), problems);
          fields.add(new Field(p, om));
        }
        yield new ListNode(fields.toArray(Field[]::new), onNoMatch);
      }
      case MATCHER_TREE -> {
        var t = m.getMatcherTree();
        ConfigPath tp = path.field("matcher_tree");
        SupportedFields.check(t, tp, problems, "input", "exact_match_map", "prefix_match_map");
        MatchInput input = MatchInput.compile(t.getInput(), tp.field("input"), problems);
        Map<String, OnMatch> exact = new HashMap<>();
        List<String> prefixes = new ArrayList<>();
        switch (t.getTreeTypeCase()) {
          case EXACT_MATCH_MAP -> t.getExactMatchMap().getMapMap().forEach((k, v) ->
              exact.put(k, onMatch(v, tp.field("exact_match_map").key(k), problems)));
          case PREFIX_MATCH_MAP -> prefixes.addAll(t.getPrefixMatchMap().getMapMap().keySet());
          case CUSTOM_MATCH -> problems.unsupported(tp.field("custom_match"), "custom_match in matcher_tree");
          case TREETYPE_NOT_SET -> problems.add(tp, "one of exact_match_map, prefix_match_map is required");
        }
        // xds matcher.proto: the longest matching prefix wins
        prefixes.sort((a, b) -> Integer.compare(b.length(), a.length()));
        OnMatch[] pm = new OnMatch[prefixes.size()];
        for (int i = 0; i < pm.length; i++) {
          pm[i] = onMatch(t.getPrefixMatchMap().getMapMap().get(prefixes.get(i)),
              tp.field("prefix_match_map").key(prefixes.get(i)), problems);
        }
        yield new TreeNode(input, Map.copyOf(exact), prefixes.toArray(String[]::new), pm, onNoMatch);
      }
      case MATCHERTYPE_NOT_SET -> {
        if (onNoMatch == null) {
          problems.add(path, "one of matcher_list, matcher_tree, on_no_match is required");
        }
        yield new ListNode(new Field[0], onNoMatch);
      }
    };
  }

  private static OnMatch onMatch(Matcher.OnMatch m, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(m, path, problems, "matcher", "action");
    return switch (m.getOnMatchCase()) {
      case MATCHER -> {
        Node n = node(m.getMatcher(), path.field("matcher"), problems);
        yield n == null ? null : new Nested(n);
      }
      case ACTION -> action(m.getAction(), path.field("action"), problems);
      case ONMATCH_NOT_SET -> {
        problems.add(path, "one of matcher, action is required");
        yield null;
      }
    };
  }

  private static OnMatch action(TypedExtensionConfig c, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(c, path, problems, "name", "typed_config");
    if (!c.getTypedConfig().is(io.envoyproxy.envoy.config.rbac.v3.Action.class)) {
      problems.unsupported(path.field("typed_config"), "action type " + c.getTypedConfig().getTypeUrl()
          + " (expected: envoy.config.rbac.v3.Action)");
      return null;
    }
    try {
      var a = c.getTypedConfig().unpack(io.envoyproxy.envoy.config.rbac.v3.Action.class);
      ConfigPath ap = path.field("typed_config");
      SupportedFields.check(a, ap, problems, "name", "action");
      return switch (a.getAction()) {
        case ALLOW -> new Act(new RbacDecision(true, a.getName(), false));
        case LOG -> new Act(new RbacDecision(true, a.getName(), true));
        case DENY -> new Act(new RbacDecision(false, a.getName(), false));
        case UNRECOGNIZED -> {
          problems.unsupported(ap.field("action"), "action " + a.getActionValue());
          yield null;
        }
      };
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      problems.add(path.field("typed_config"), "cannot decode envoy.config.rbac.v3.Action: " + e.getMessage());
      return null;
    }
  }

  private static Pred predicate(Predicate p, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(p, path, problems, "single_predicate", "or_matcher", "and_matcher", "not_matcher");
    return switch (p.getMatchTypeCase()) {
      case SINGLE_PREDICATE -> {
        var s = p.getSinglePredicate();
        ConfigPath sp = path.field("single_predicate");
        SupportedFields.check(s, sp, problems, "input", "value_match");
        MatchInput input = MatchInput.compile(s.getInput(), sp.field("input"), problems);
        StringMatcher sm = s.hasValueMatch()
            ? MatchInput.stringMatcher(s.getValueMatch(), sp.field("value_match"), problems) : null;
        if (!s.hasValueMatch() && !s.hasCustomMatch()) {
          problems.add(sp, "value_match is required");
        }
        yield input == null || sm == null ? null : new Single(input, sm);
      }
      case OR_MATCHER -> new AnyOf(predicates(p.getOrMatcher().getPredicateList(), path.field("or_matcher"), problems));
      case AND_MATCHER -> new AllOf(predicates(p.getAndMatcher().getPredicateList(), path.field("and_matcher"), problems));
      case NOT_MATCHER -> {
        Pred inner = predicate(p.getNotMatcher(), path.field("not_matcher"), problems);
        yield inner == null ? null : new NoneOf(inner);
      }
      case MATCHTYPE_NOT_SET -> {
        problems.add(path, "one of single_predicate, or_matcher, and_matcher, not_matcher is required");
        yield null;
      }
    };
  }

  private static Pred[] predicates(List<Predicate> list, ConfigPath path, ConfigProblems problems) {
    if (list.size() < 2) {
      problems.add(path.field("predicate"), "needs at least 2 predicates, has " + list.size());
    }
    Pred[] out = new Pred[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = predicate(list.get(i), path.field("predicate").index(i), problems);
    }
    return out;
  }
}

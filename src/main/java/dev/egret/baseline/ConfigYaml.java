package dev.egret.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.egret.io.FieldChecks;
import dev.egret.io.FileKinds;
import dev.egret.io.InputException;
import dev.egret.io.JsonPositions;
import dev.egret.io.ReadErrors;
import dev.egret.io.TextFiles;
import dev.egret.net.Cidr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads {@code egret.yaml}; every error is one line with the file, line, column and setting. */
public final class ConfigYaml {
  private static final YAMLMapper MAPPER =
      YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();
  private static final Set<String> TOP =
      Set.of("internal", "roles", "exclude", "learnChatter", "thresholds");

  private ConfigYaml() {}

  public static EgretConfig read(Path file) throws IOException {
    try {
      return readChecked(file);
    } catch (InputException e) {
      throw new BaselineException(e.getMessage(), e);
    }
  }

  private static EgretConfig readChecked(Path file) throws IOException {
    byte[] bytes = TextFiles.read(file, "a config file");
    FileKinds.expectYaml(bytes, Math.min(bytes.length, 64), file.toString(), "a config");
    return parse(TextFiles.utf8(bytes, file.toString()), file.toString());
  }

  public static EgretConfig parse(String yaml, String name) {
    try {
      return parseChecked(yaml, name);
    } catch (InputException e) {
      throw new BaselineException(e.getMessage(), e);
    }
  }

  private static EgretConfig parseChecked(String yaml, String name) {
    byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
    FileKinds.expectYaml(bytes, Math.min(bytes.length, 64), name, "a config");
    JsonNode root;
    try {
      root = MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw ReadErrors.translate(e, name, MAPPER.getFactory(), bytes);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return EgretConfig.defaults();
    }
    try {
      return config(root);
    } catch (InputException e) {
      long[] at = JsonPositions.find(MAPPER.getFactory(), bytes, e.path());
      return throwAt(e, name, at);
    } catch (BaselineException | IllegalArgumentException e) {
      // A threshold out of range (Thresholds checks them): placed at the thresholds.
      long[] at = JsonPositions.find(MAPPER.getFactory(), bytes, List.of("thresholds"));
      throw InputException.file(name, at[0], at[1], e.getMessage());
    }
  }

  private static EgretConfig throwAt(InputException e, String name, long[] at) {
    throw e.at(name, at[0], at[1]);
  }

  private static EgretConfig config(JsonNode root) {
    if (!root.isObject()) {
      throw InputException.field(List.of(), "expected a mapping of settings at the top level");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!TOP.contains(f)) {
        throw InputException.field(
            List.of(f),
            "unknown setting (expected one of " + String.join(", ", new TreeSet<>(TOP)) + ")");
      }
    }
    List<Cidr> internal = cidrs(root.get("internal"), List.of("internal"));
    List<Cidr> exclude = cidrs(root.get("exclude"), List.of("exclude"));
    Map<String, List<Cidr>> roles = new LinkedHashMap<>();
    JsonNode r = root.get("roles");
    if (r != null && !r.isNull()) {
      if (!r.isObject()) {
        throw InputException.field(List.of("roles"), "expected a mapping of role name to hosts");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getKey().matches("[a-z0-9][a-z0-9_-]{0,47}")) {
          throw InputException.field(
              List.of("roles", e.getKey()),
              "role name "
                  + FieldChecks.quote(e.getKey())
                  + " must match [a-z0-9][a-z0-9_-]{0,47}");
        }
        roles.put(e.getKey(), cidrs(e.getValue(), List.of("roles", e.getKey())));
      }
    }
    boolean chatter = bool(root, "learnChatter", false, List.of());
    Thresholds t = Thresholds.defaults();
    JsonNode th = root.get("thresholds");
    if (th != null && !th.isNull()) {
      if (!th.isObject()) {
        throw InputException.field(List.of("thresholds"), "expected a mapping of settings");
      }
      t = thresholds(th, t);
    }
    return new EgretConfig(internal, roles, exclude, chatter, t);
  }

  private static List<Cidr> cidrs(JsonNode n, List<Object> path) {
    List<Cidr> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw InputException.field(path, "expected a list of addresses or prefixes");
    }
    for (int i = 0; i < n.size(); i++) {
      JsonNode x = n.get(i);
      List<Object> at = new ArrayList<>(path);
      at.add(i);
      if (!x.isValueNode()) {
        throw InputException.field(at, "expected an address or prefix");
      }
      try {
        out.add(Cidr.parse(x.asText()));
      } catch (IllegalArgumentException e) {
        throw InputException.field(
            at, "not an address or prefix: " + FieldChecks.quote(x.asText()));
      }
    }
    return out;
  }

  private static boolean bool(JsonNode parent, String field, boolean d, List<Object> under) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return d;
    }
    if (!n.isBoolean()) {
      throw InputException.field(
          path(under, field), "expected true or false, found " + FieldChecks.quote(n.asText()));
    }
    return n.booleanValue();
  }

  private static int integer(JsonNode parent, String field, int d) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return d;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw InputException.field(
          path(List.of("thresholds"), field),
          "expected a whole number, found " + FieldChecks.quote(n.asText()));
    }
    return n.intValue();
  }

  private static double number(JsonNode parent, String field, double d) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return d;
    }
    if (!n.isNumber()) {
      throw InputException.field(
          path(List.of("thresholds"), field),
          "expected a number, found " + FieldChecks.quote(n.asText()));
    }
    return n.doubleValue();
  }

  private static List<Object> path(List<Object> under, String field) {
    List<Object> p = new ArrayList<>(under);
    p.add(field);
    return p;
  }

  private static Thresholds thresholds(JsonNode th, Thresholds d) {
    Set<String> known =
        Set.of(
            "minFlows",
            "minDays",
            "answeredOnly",
            "broadDestinations",
            "maxPrefixV4",
            "maxPrefixV6",
            "minCoverage",
            "maxExposure",
            "portRanges",
            "lateDays");
    for (Iterator<String> it = th.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw InputException.field(
            List.of("thresholds", f),
            "unknown setting (expected one of " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
    return new Thresholds(
        integer(th, "minFlows", d.minFlows()),
        integer(th, "minDays", d.minDays()),
        bool(th, "answeredOnly", d.answeredOnly(), List.of("thresholds")),
        integer(th, "broadDestinations", d.broadDestinations()),
        integer(th, "maxPrefixV4", d.maxPrefixV4()),
        integer(th, "maxPrefixV6", d.maxPrefixV6()),
        number(th, "minCoverage", d.minCoverage()),
        integer(th, "maxExposure", d.maxExposure()),
        bool(th, "portRanges", d.portRanges(), List.of("thresholds")),
        integer(th, "lateDays", d.lateDays()));
  }
}

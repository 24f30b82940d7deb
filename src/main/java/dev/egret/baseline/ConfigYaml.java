package dev.egret.baseline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.egret.net.Cidr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code egret.yaml}; every error names the file and, where it can, the line. */
public final class ConfigYaml {
  private static final YAMLMapper MAPPER =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final Set<String> TOP =
      Set.of("internal", "roles", "exclude", "learnChatter", "thresholds");

  private ConfigYaml() {}

  public static EgretConfig read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new BaselineException(file + ": is a directory, not a config file");
    }
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  public static EgretConfig parse(String yaml, String name) {
    JsonNode root;
    try {
      root = MAPPER.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      throw new BaselineException(
          name
              + (l == null ? "" : ":" + l.getLineNr())
              + ": not valid YAML: "
              + e.getOriginalMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return EgretConfig.defaults();
    }
    if (!root.isObject()) {
      throw new BaselineException(name + ": expected a mapping at the top level");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!TOP.contains(f)) {
        throw new BaselineException(
            name
                + ": unknown setting \""
                + f
                + "\" (expected one of "
                + new java.util.TreeSet<>(TOP)
                + ")");
      }
    }
    try {
      List<Cidr> internal = cidrs(root.get("internal"), "internal");
      List<Cidr> exclude = cidrs(root.get("exclude"), "exclude");
      Map<String, List<Cidr>> roles = new LinkedHashMap<>();
      JsonNode r = root.get("roles");
      if (r != null && !r.isNull()) {
        if (!r.isObject()) {
          throw new BaselineException("roles: expected a mapping of role name to hosts");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getKey().matches("[a-z0-9][a-z0-9_-]{0,47}")) {
            throw new BaselineException(
                "roles: role name \"" + e.getKey() + "\" must match [a-z0-9][a-z0-9_-]{0,47}");
          }
          roles.put(e.getKey(), cidrs(e.getValue(), "roles." + e.getKey()));
        }
      }
      boolean chatter = root.path("learnChatter").asBoolean(false);
      Thresholds t = Thresholds.defaults();
      JsonNode th = root.get("thresholds");
      if (th != null && !th.isNull()) {
        t = thresholds(th, t);
      }
      return new EgretConfig(internal, roles, exclude, chatter, t);
    } catch (BaselineException | IllegalArgumentException e) {
      throw new BaselineException(name + ": " + e.getMessage(), e);
    }
  }

  private static List<Cidr> cidrs(JsonNode n, String field) {
    List<Cidr> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw new BaselineException(field + ": expected a list of addresses or prefixes");
    }
    for (JsonNode x : n) {
      out.add(Cidr.parse(x.asText()));
    }
    return out;
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
        throw new BaselineException("thresholds: unknown setting \"" + f + "\"");
      }
    }
    return new Thresholds(
        th.path("minFlows").asInt(d.minFlows()),
        th.path("minDays").asInt(d.minDays()),
        th.path("answeredOnly").asBoolean(d.answeredOnly()),
        th.path("broadDestinations").asInt(d.broadDestinations()),
        th.path("maxPrefixV4").asInt(d.maxPrefixV4()),
        th.path("maxPrefixV6").asInt(d.maxPrefixV6()),
        th.path("minCoverage").asDouble(d.minCoverage()),
        th.path("maxExposure").asInt(d.maxExposure()),
        th.path("portRanges").asBoolean(d.portRanges()),
        th.path("lateDays").asInt(d.lateDays()));
  }
}

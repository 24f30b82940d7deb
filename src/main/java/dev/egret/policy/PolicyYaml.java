package dev.egret.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.egret.io.FieldChecks;
import dev.egret.io.FileKinds;
import dev.egret.io.InputException;
import dev.egret.io.ReadErrors;
import dev.egret.io.TextFiles;
import dev.egret.net.Cidr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The policy file format: YAML through Jackson, the only place that knows it. */
public final class PolicyYaml {
  private static final YAMLMapper MAPPER = mapper();

  private PolicyYaml() {}

  private static YAMLMapper mapper() {
    YAMLFactory f =
        YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            // One line per value: greppable, and a diff of two policies shows whole values.
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .stringQuotingChecker(new Quoting())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    SimpleModule m = new SimpleModule("egret-policy");
    m.addSerializer(Cidr.class, new ToStringSerializer<>(Cidr.class));
    m.addDeserializer(Cidr.class, new CidrDeserializer());
    m.addSerializer(PortRange.class, new PortRangeSerializer());
    m.addDeserializer(PortRange.class, new PortRangeDeserializer());
    YAMLMapper y =
        YAMLMapper.builder(f)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(m)
            .build();
    y.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    return y;
  }

  public static String write(Policy p) {
    try {
      return MAPPER.writeValueAsString(p);
    } catch (JsonProcessingException e) {
      throw new PolicyException("cannot write policy: " + e.getOriginalMessage(), e);
    }
  }

  public static Policy parse(String yaml, String name) {
    try {
      return parseChecked(yaml, name);
    } catch (InputException e) {
      throw new PolicyException(e.getMessage(), e);
    }
  }

  private static Policy parseChecked(String yaml, String name) {
    byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
    FileKinds.expectYaml(bytes, Math.min(bytes.length, 64), name, "a policy");
    if (yaml.isBlank()) {
      throw InputException.file(name, 0, 0, "empty file, not a policy");
    }
    try {
      Policy p = MAPPER.readValue(yaml, Policy.class);
      if (p == null) {
        throw InputException.file(name, 0, 0, "empty file, not a policy");
      }
      return p;
    } catch (JsonProcessingException e) {
      throw ReadErrors.translate(e, name, MAPPER.getFactory(), bytes);
    }
  }

  public static Policy read(Path file) throws IOException {
    try {
      return readChecked(file);
    } catch (InputException e) {
      throw new PolicyException(e.getMessage(), e);
    }
  }

  private static Policy readChecked(Path file) throws IOException {
    byte[] bytes = TextFiles.read(file, "a policy file");
    FileKinds.expectYaml(bytes, Math.min(bytes.length, 64), file.toString(), "a policy");
    return parse(TextFiles.utf8(bytes, file.toString()), file.toString());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid policy";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * Names and file names come from the wire and from users. A value is written plain only when it
   * is printable ASCII that starts with a letter (or is an IPv4 address or port range) and does not
   * end in a space; anything else is double-quoted, where the emitter escapes control characters
   * and the YAML line breaks U+0085, U+2028 and U+2029 (in plain or single-quoted style they would
   * be folded or break the line), and where {@code .inf} or {@code null} stay text.
   */
  static final class Quoting extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;

    /**
     * Values starting with a digit that no YAML 1.1 or 1.2 reader takes for a number, a sexagesimal
     * or a timestamp: IPv4 addresses and prefixes, port ranges. Other digit-led text ({@code 0x1F},
     * {@code 1e3}, an IPv6 address, an ISO time) is quoted.
     */
    private static final java.util.regex.Pattern UNAMBIGUOUS_DIGITS =
        java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?|\\d{1,5}-\\d{1,5}");

    @Override
    public boolean needToQuoteValue(String value) {
      return !plainSafe(value) || super.needToQuoteValue(value);
    }

    static boolean plainSafe(String s) {
      if (s.isEmpty() || s.endsWith(" ")) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          return false;
        }
      }
      char first = s.charAt(0);
      return (first >= 'a' && first <= 'z')
          || (first >= 'A' && first <= 'Z')
          || UNAMBIGUOUS_DIGITS.matcher(s).matches();
    }
  }

  private static final class ToStringSerializer<T> extends JsonSerializer<T> {
    private final Class<T> type;

    ToStringSerializer(Class<T> type) {
      this.type = type;
    }

    @Override
    public Class<T> handledType() {
      return type;
    }

    @Override
    public void serialize(T value, JsonGenerator gen, SerializerProvider sp) throws IOException {
      gen.writeString(value.toString());
    }
  }

  /** A single port as a number ({@code 443}), a range as text ({@code 8000-8002}). */
  private static final class PortRangeSerializer extends JsonSerializer<PortRange> {
    @Override
    public Class<PortRange> handledType() {
      return PortRange.class;
    }

    @Override
    public void serialize(PortRange value, JsonGenerator gen, SerializerProvider sp)
        throws IOException {
      if (value.single()) {
        gen.writeNumber(value.from());
      } else {
        gen.writeString(value.toString());
      }
    }
  }

  private static final class CidrDeserializer extends JsonDeserializer<Cidr> {
    @Override
    public Cidr deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String v = p.getValueAsString();
      try {
        return Cidr.parse(v);
      } catch (IllegalArgumentException e) {
        throw invalid(p, "not an address or prefix: " + FieldChecks.quote(v));
      }
    }
  }

  private static final class PortRangeDeserializer extends JsonDeserializer<PortRange> {
    @Override
    public PortRange deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      try {
        return PortRange.parse(p.getValueAsString());
      } catch (PolicyException e) {
        throw invalid(p, e.getMessage());
      }
    }
  }

  /** A bad value inside a deserializer, so that Jackson adds the field's path and position. */
  private static JsonMappingException invalid(JsonParser p, String problem) {
    return JsonMappingException.from(p, problem, InputException.field(List.of(), problem));
  }
}

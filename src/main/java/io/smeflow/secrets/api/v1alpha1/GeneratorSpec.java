package io.smeflow.secrets.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** How the operator makes a new value for the Generate strategy. */
public class GeneratorSpec {

    @Required
    @JsonPropertyDescription("Password, RandomBytes, RSAKeyPair or ECKeyPair.")
    private GeneratorType type;

    @Size(max = 16)
    @JsonPropertyDescription(
            "Vault keys to generate. Password and RandomBytes: one independent"
                    + " value per key (default [value]). Key pairs: [private key, public key] in"
                    + " PEM"
                    + " (default [private_key, public_key]).")
    private List<@Pattern(ApiPatterns.DATA_KEY) String> keys = new ArrayList<>();

    @Min(8)
    @Max(4096)
    @JsonPropertyDescription(
            "Password: characters (default 32). RandomBytes: bytes (default 32)."
                    + " RSAKeyPair: modulus bits, 2048 to 4096 (default 3072). ECKeyPair: curve"
                    + " size,"
                    + " 256, 384 or 521 (default 256).")
    private Integer length;

    @Default("base64")
    @JsonPropertyDescription("RandomBytes only: hex or base64 (default).")
    private Encoding encoding = Encoding.base64;

    @Default("true")
    @JsonPropertyDescription("Password only: include symbols (default true).")
    private Boolean symbols = Boolean.TRUE;

    @Default("false")
    @JsonPropertyDescription(
            "Password only: leave out characters that are easy to misread" + " (0 O o 1 l I |).")
    private Boolean excludeAmbiguous = Boolean.FALSE;

    public GeneratorType getType() {
        return type;
    }

    public void setType(GeneratorType type) {
        this.type = type;
    }

    public List<String> getKeys() {
        return keys;
    }

    public void setKeys(List<String> keys) {
        this.keys = keys == null ? new ArrayList<>() : keys;
    }

    public Integer getLength() {
        return length;
    }

    public void setLength(Integer length) {
        this.length = length;
    }

    public Encoding getEncoding() {
        return encoding;
    }

    public void setEncoding(Encoding encoding) {
        this.encoding = encoding;
    }

    public Boolean getSymbols() {
        return symbols;
    }

    public void setSymbols(Boolean symbols) {
        this.symbols = symbols;
    }

    public Boolean getExcludeAmbiguous() {
        return excludeAmbiguous;
    }

    public void setExcludeAmbiguous(Boolean excludeAmbiguous) {
        this.excludeAmbiguous = excludeAmbiguous;
    }
}

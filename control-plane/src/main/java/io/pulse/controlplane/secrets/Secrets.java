package io.pulse.controlplane.secrets;

import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.SecretRef;
import io.pulse.controlplane.registry.SecretRef;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The secrets of the control plane: validates and seals what the API receives before the registry sees it, and opens
 * values only for sandbox specs. Never answers or logs a value.
 */
public final class Secrets implements SecretValues {

  /** Longest value accepted, in UTF-8 bytes (as env, sixteen of them stay well within the exec limits). */
  public static final int MAX_VALUE_BYTES = 32 * 1024;

  private final SecretCipher cipher;
  private final SecretRegistry registry;

  public Secrets(SecretCipher cipher, SecretRegistry registry) {
    this.cipher = cipher;
    this.registry = registry;
  }

  /** Fails with {@link InvalidSecretException} (a bad name or value) or {@link SecretExistsException}. */
  public Future<SecretRecord> create(@Nullable Object name, @Nullable Object value) {
    return Future.<String>future(p -> p.complete(checkedName(name, "name")))
        .compose(checked -> registry.createSecret(checked, cipher.seal(checked, checkedValue(value))));
  }

  /** Fails with {@link InvalidSecretException} or {@link SecretNotFoundException}. */
  public Future<SecretRecord> update(String name, @Nullable Object value) {
    return Future.<byte[]>future(p -> p.complete(checkedValue(value)))
        .compose(bytes -> registry.updateSecret(name, cipher.seal(name, bytes)));
  }

  /** Fails with {@link SecretNotFoundException} or {@link SecretInUseException} (naming the functions). */
  public Future<SecretRecord> delete(String name) {
    return registry.deleteSecret(name);
  }

  /** Every secret, by name. */
  public List<SecretRecord> list() {
    return registry.secrets().values().stream().sorted(Comparator.comparing(SecretRecord::name)).toList();
  }

  public @Nullable SecretRecord get(String name) {
    return registry.secrets().get(name);
  }

  @Override
  public List<OpenedSecret> open(FunctionSpec spec) {
    List<OpenedSecret> opened = new ArrayList<>(spec.secrets().size());
    for (SecretRef ref : spec.secrets()) {
      SecretRecord record = registry.secrets().get(ref.name());
      if (record == null) {
        throw new SecretNotFoundException(ref.name());
      }
      opened.add(new OpenedSecret(ref.name(), cipher.open(ref.name(), record.sealed()), ref.env()));
    }
    return opened;
  }

  /**
   * Blocking-free check at start: every stored secret opens with this key ring, so a wrong key file fails the start
   * rather than the first sandbox that needs a secret.
   *
   * @throws SecretCipher.SecretKeyException naming the first secret that does not open
   */
  public void verifyAll() {
    for (SecretRecord record : list()) {
      java.util.Arrays.fill(cipher.open(record.name(), record.sealed()), (byte) 0);
    }
  }

  private static String checkedName(@Nullable Object name, String field) {
    if (!(name instanceof String text)) {
      throw new InvalidSecretException(field, name == null ? field + " is required"
          : field + " must be a string");
    }
    if (!SecretRef.validName(text)) {
      throw new InvalidSecretException(field, SecretRef.nameRule(field));
    }
    return text;
  }

  /** The value's bytes; a refusal never repeats the value. */
  private static byte[] checkedValue(@Nullable Object value) {
    if (!(value instanceof String text)) {
      throw new InvalidSecretException("value", value == null ? "value is required (a string)"
          : "value must be a string");
    }
    if (text.indexOf('\0') >= 0) {
      throw new InvalidSecretException("value", "value must not contain a NUL character (it may become an"
          + " environment variable)");
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_VALUE_BYTES) {
      throw new InvalidSecretException("value", "value is " + bytes.length + " bytes, at most " + MAX_VALUE_BYTES);
    }
    return bytes;
  }
}

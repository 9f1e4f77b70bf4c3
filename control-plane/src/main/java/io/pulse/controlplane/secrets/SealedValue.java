package io.pulse.controlplane.secrets;

/**
 * A secret value as it is stored and replicated: AES-256-GCM ciphertext (with its tag) under a random 96-bit nonce,
 * both Base64, and the id of the key that sealed it. The secret's name is the additional authenticated data, so a
 * value copied under another name does not open.
 */
public record SealedValue(String keyId, String nonce, String ciphertext) {

  @Override
  public String toString() {
    return "SealedValue[keyId=" + keyId + "]";
  }
}

package io.pulse.worker.image;

import java.util.Map;
import java.util.Optional;

/** User name and password per registry host, for basic auth and for fetching bearer tokens. Empty: anonymous. */
public record RegistryCredentials(Map<String, Login> byHost) {

  public static final RegistryCredentials NONE = new RegistryCredentials(Map.of());

  /** One login. */
  public record Login(String user, String password) {
    @Override
    public String toString() {
      return "Login[user=" + user + ", password=***]";
    }
  }

  public RegistryCredentials {
    byHost = Map.copyOf(byHost);
  }

  public Optional<Login> forHost(String host) {
    return Optional.ofNullable(byHost.get(host));
  }

  /** Parses {@code host=user:password}; the message names the bad entry without echoing the password. */
  public static Map.Entry<String, Login> parseEntry(String text) {
    int eq = text.indexOf('=');
    int colon = text.indexOf(':', eq + 1);
    if (eq <= 0 || colon < 0) {
      throw new IllegalArgumentException("registry login must be host=user:password, got an entry for '"
          + (eq > 0 ? text.substring(0, eq) : "?") + "'");
    }
    return Map.entry(text.substring(0, eq), new Login(text.substring(eq + 1, colon), text.substring(colon + 1)));
  }
}

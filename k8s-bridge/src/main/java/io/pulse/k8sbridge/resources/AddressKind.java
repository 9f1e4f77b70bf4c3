package io.pulse.k8sbridge.resources;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** What kind of address a host string is, in EndpointSlice terms, and whether an API server takes it as one. */
enum AddressKind {
  IPV4("IPv4"), IPV6("IPv6"), FQDN("FQDN");

  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  /** A lower-case RFC 1123 subdomain of at least two labels: Kubernetes' "fully qualified domain name". */
  private static final Pattern FQDN_NAME = Pattern.compile(
      "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+");

  final String addressType;

  AddressKind(String addressType) {
    this.addressType = addressType;
  }

  static AddressKind of(String host) {
    if (IPV4_LITERAL.matcher(host).matches()) {
      return IPV4;
    }
    return host.indexOf(':') >= 0 ? IPV6 : FQDN;
  }

  /**
   * Why an API server refuses {@code host} as an EndpointSlice address (its validation of endpoint IPs: no
   * unspecified, loopback, link-local or link-local multicast address; of FQDNs: a lower-case name with a dot), or
   * empty when it takes it.
   */
  static Optional<String> endpointRefusal(String host) {
    AddressKind kind = of(host);
    if (kind == FQDN) {
      return host.length() <= 253 && FQDN_NAME.matcher(host).matches() ? Optional.empty()
          : Optional.of("not a fully qualified domain name (lower case, at least two labels)");
    }
    InetAddress ip;
    try {
      ip = InetAddress.getByName(host); // a literal: no name lookup
    } catch (UnknownHostException e) {
      return Optional.of("not a valid IP address");
    }
    if (ip.isAnyLocalAddress()) {
      return Optional.of("unspecified");
    }
    if (ip.isLoopbackAddress()) {
      return Optional.of("in the loopback range (127.0.0.0/8, ::1/128)");
    }
    if (ip.isLinkLocalAddress()) {
      return Optional.of("in the link-local range (169.254.0.0/16, fe80::/10)");
    }
    if (ip.isMCLinkLocal()) {
      return Optional.of("in the link-local multicast range (224.0.0.0/24, ff02::/10)");
    }
    return Optional.empty();
  }
}

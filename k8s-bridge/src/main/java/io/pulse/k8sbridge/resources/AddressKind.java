package io.pulse.k8sbridge.resources;

import java.util.regex.Pattern;

/** What kind of address a host string is, in EndpointSlice terms. */
enum AddressKind {
  IPV4("IPv4"), IPV6("IPv6"), FQDN("FQDN");

  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

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
}

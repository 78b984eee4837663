/** The cluster DNS server: Services, endpoints and pods as DNS records, other names forwarded. */
package io.k4j.dns;

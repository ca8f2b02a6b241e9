import { BlockList, isIPv4 } from 'node:net';
import type { Config } from '../config/index.js';

/** Where a reverse proxy in front of CareLoop can sit when TRUST_PROXY gives only a hop count. */
const privateNetworks = new BlockList();
for (const [network, prefix] of [['127.0.0.0', 8], ['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['169.254.0.0', 16]] as const) {
  privateNetworks.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) privateNetworks.addSubnet(network, prefix, 'ipv6');

const isPrivate = (address: string): boolean => {
  const unmapped = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  return privateNetworks.check(unmapped, isIPv4(unmapped) ? 'ipv4' : 'ipv6');
};

/**
 * fastify's `trustProxy` from TRUST_PROXY. A list of addresses and CIDRs is passed as it is. A hop count trusts
 * that many proxies, each on a private or loopback address: fastify refuses a bare hop count, because a client
 * reaching CareLoop directly could then write its own address in X-Forwarded-For; a client from outside the
 * private networks still cannot. Proxies on public addresses (a CDN) must be listed by address.
 */
export function trustProxyOption(setting: Config['TRUST_PROXY']): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== 'number') return setting;
  return (address, hop) => hop < setting && isPrivate(address);
}

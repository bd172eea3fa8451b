/** Data types of the lab's DNS: records, zones, and the posture mistakes a scenario can publish. */
export type RRType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'PTR' | 'NS' | 'CNAME';

export interface DnsRecord {
  /** relative to the zone origin, `@` for the apex */
  name: string;
  type: RRType;
  /** TXT: the full text (split into 255-byte strings when rendered, RFC 1035 §3.3.14) */
  value: string;
  priority?: number;
  ttl?: number;
}

export interface Zone {
  origin: string;
  records: DnsRecord[];
}

/** One DNS posture mistake a lab scenario publishes (lab/scenarios.ts). */
export type PostureBreak = 'spf-missing-ip' | 'spf-too-many-lookups' | 'dmarc-missing' | 'ipv6-ptr-missing' | 'ip-listed';

/**
 * A delivery status notification (RFC 3464) as a provider's bounce comes back through a relay:
 * the human-readable part quoting the reply, then the per-recipient fields. For the provider
 * rule-set tests; every reply in them is written for the test.
 */
export interface Dsn {
  to: string;
  status: string;
  diag: string;
  /** Remote-MTA field; absent when the report names the host only in its text */
  remote?: string;
  /** the host the human-readable part says answered */
  said?: string;
  reporting?: string;
}

export function dsn(d: Dsn): Buffer {
  return Buffer.from(
    [
      'From: MAILER-DAEMON@out.example.org',
      'To: sender@example.org',
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="p1"',
      '',
      '--p1',
      'Content-Type: text/plain',
      '',
      d.said ? `<${d.to}>: host ${d.said}[198.51.100.20] said: ${d.diag}` : `<${d.to}>: ${d.diag}`,
      '',
      '--p1',
      'Content-Type: message/delivery-status',
      '',
      `Reporting-MTA: dns; ${d.reporting ?? 'out.example.org'}`,
      '',
      `Final-Recipient: rfc822; ${d.to}`,
      'Action: failed',
      `Status: ${d.status}`,
      ...(d.remote ? [`Remote-MTA: dns; ${d.remote}`] : []),
      `Diagnostic-Code: smtp; ${d.diag}`,
      '',
      '--p1--',
      '',
    ].join('\r\n'),
  );
}
